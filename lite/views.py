"""The lite edition: every public page again under /lite/, as text, without script or images.

Pages of the tree are found as Wagtail finds them (`wagtail.views.serve`) and
rendered with a lite template; the other public pages reuse their full
view's query or response with a lite template.
"""

import functools

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe
from taggit.models import Tag
from wagtail import hooks
from wagtail.models import Site

from corrections import views as corrections_views
from lite import pages
from news.listings import paginate
from news.models import ArticlePage, Author, Desk
from search import views as search_views


def lite_view(view):
    """Safe methods only, and a lite "not found" page instead of the full site's."""

    @functools.wraps(view)
    @require_safe
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404:
            return TemplateResponse(request, "lite/404.html", status=404)

    return wrapped


@lite_view
def page(request, path=""):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    # As Page.route_for_request, without its memo on the request: that one is for the request's own path.
    found, args, kwargs = site.root_page.localized.specific.route(request, [part for part in path.split("/") if part])
    # Wagtail's hooks around serving a page, as wagtail.views.serve runs them:
    # a view restriction answers with its password or login form, as on the full page.
    serve_chain = _render
    for hook in reversed(hooks.get_hooks("on_serve_page")):
        serve_chain = hook(serve_chain)
    for hook in hooks.get_hooks("before_serve_page"):
        result = hook(found, request, args, kwargs)
        if isinstance(result, HttpResponse):
            return result
    return serve_chain(found, request, args, kwargs)


def _render(page, request, args, kwargs):
    context = pages.page_context(page, request)
    context["full_url"] = page.get_url(request)
    return TemplateResponse(request, pages.page_templates(page), context)


def _article_list(request, *, heading, description, articles):
    context = {
        "heading": heading,
        "description": description,
        "page_obj": paginate(request, articles.order_by("-first_published_at").defer("body")),
    }
    return TemplateResponse(request, "lite/article_list.html", context)


@lite_view
def author(request, slug):
    found = get_object_or_404(Author, slug=slug)
    articles = ArticlePage.objects.published().filter(bylines__author=found)
    return _article_list(request, heading=found.name, description=found.bio, articles=articles)


@lite_view
def desk(request, slug):
    found = get_object_or_404(Desk, slug=slug)
    articles = ArticlePage.objects.published().filter(desk=found)
    return _article_list(request, heading=found.name, description=found.description, articles=articles)


@lite_view
def tag(request, slug):
    found = get_object_or_404(Tag, slug=slug)
    articles = ArticlePage.objects.published().filter(tags=found)
    return _article_list(request, heading=found.name, description="", articles=articles)


@lite_view
def search(request):
    return search_views.search(request, template_name="lite/search.html")


@lite_view
def corrections_log(request):
    response = corrections_views.corrections_log(request)
    response.template_name = "lite/corrections_log.html"
    return response
