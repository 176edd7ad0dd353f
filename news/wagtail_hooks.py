from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from news.models import Author, Desk


class AuthorViewSet(SnippetViewSet):
    model = Author
    icon = "user"
    list_display = ["name", "role", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class DeskViewSet(SnippetViewSet):
    model = Desk
    icon = "group"
    list_display = ["name", "slug"]
    search_fields = ["name"]
    ordering = ["name"]


class BylineViewSetGroup(SnippetViewSetGroup):
    items = (AuthorViewSet, DeskViewSet)
    menu_icon = "user"
    menu_label = _("التوقيعات")
    menu_name = "bylines"


register_snippet(BylineViewSetGroup)
