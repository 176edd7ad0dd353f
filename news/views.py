"""Archive pages that are not in the page tree: a tag, an author, a desk."""

from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from taggit.models import Tag

from news.context_processors import navigation
from news.listings import paginated_cards
from news.models import ArticlePage, Author, Desk
from news.theme import theme_css

# The stylesheet's address names its content (?v=digest): kept as long as browsers keep anything.
THEME_MAX_AGE = 365 * 24 * 3600


def _article_list(request, *, heading, description, articles, kind, entity):
    page_obj, cards = paginated_cards(request, articles.order_by("-first_published_at"))
    context = {
        "heading": heading,
        "description": description,
        "kind": kind,
        "entity": entity,
        "page_obj": page_obj,
        "cards": cards,
    }
    return TemplateResponse(request, "news/article_list.html", context)


def author_detail(request, slug):
    author = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = ArticlePage.objects.published().filter(bylines__author=author)
    return _article_list(
        request, heading=author.name, description=author.bio, articles=articles, kind="author", entity=author
    )


def desk_detail(request, slug):
    desk = get_object_or_404(Desk, slug=slug)
    articles = ArticlePage.objects.published().filter(desk=desk)
    return _article_list(
        request, heading=desk.name, description=desk.description, articles=articles, kind="desk", entity=desk
    )


def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = ArticlePage.objects.published().filter(tags=tag)
    return _article_list(request, heading=tag.name, description="", articles=articles, kind="tag", entity=tag)


def short_link(request, pk):
    """`/a/<id>/`: a short, permanent link for sharing, whatever the article's slug or section."""
    article = get_object_or_404(ArticlePage.objects.published(), pk=pk)
    return HttpResponsePermanentRedirect(article.url)


def theme_stylesheet(request):
    """`/theme.css`: the newsroom's colours and headline face (news.theme), linked from every page that needs it."""
    theme = navigation(request)["theme"]
    response = HttpResponse(theme_css(theme), content_type="text/css; charset=utf-8")
    if theme.get("digest") and request.GET.get("v") == theme["digest"]:
        response["Cache-Control"] = f"public, max-age={THEME_MAX_AGE}, immutable"
    else:
        # An old or missing digest: a page stored before the settings changed; ask again next time.
        response["Cache-Control"] = "public, max-age=0, must-revalidate"
    return response
