from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_safe

from bounds.limits import MAX_ROW_ID, whole_number
from news.models import HomePage, SectionPage
from search.forms import SearchForm
from search.services import articles_search


@require_safe
def search(request, template_name="search/search.html"):
    form = SearchForm(request.GET or None)
    outcome = None
    valid = form.is_bound and form.is_valid()
    if valid and form.cleaned_data["q"]:
        outcome = articles_search(
            text=form.cleaned_data["q"],
            filters=form.filters(),
            newest_first=form.newest_first,
            page=_page_number(request),
        )
    others = request.GET.copy()
    others.pop("page", None)
    sort_links = request.GET.copy()
    sort_links.pop("page", None)
    sort_links.pop("sort", None)
    return render(
        request,
        template_name,
        {
            "form": form,
            "outcome": outcome,
            "filtered": valid and bool(form.filters()),
            "page_query": others.urlencode(),
            "sort_query": sort_links.urlencode(),
            "sections": _top_sections() if outcome is not None and not outcome.total else [],
        },
        # A query the form refuses (a date out of range, say) is shown again with its error.
        status=400 if form.is_bound and not valid else 200,
    )


@require_safe
def opensearch(request):
    return render(
        request,
        "search/opensearch.xml",
        {"site_url": settings.SITE_URL.rstrip("/")},
        content_type="application/opensearchdescription+xml; charset=utf-8",
    )


def _page_number(request):
    return whole_number(request.GET.get("page", ""), minimum=1, maximum=MAX_ROW_ID) or 1


def _top_sections():
    home = HomePage.objects.first()
    return SectionPage.in_menu_under(home) if home else []
