from django.conf import settings
from django.utils import translation


class SiteLanguageMiddleware:
    """Every request in the site's language (`LANGUAGE_CODE`), whatever the reader's browser or cookies ask.

    The public site has one edition, in Arabic: a page is the same for every
    reader, so no cache has to tell readers apart by language, and no
    `Accept-Language` or `django_language` cookie can turn it left to right.
    The admin follows each editor's own choice: Wagtail activates the preferred
    language of the editor's profile around its views and their rendering
    (`wagtail.admin.localization.get_localized_response`), falling back to this
    one; so its login page and every editor without a choice get Arabic. A
    preview runs the middleware again around the page it renders, so an editor
    working in English previews the page as readers get it.
    Django's LocaleMiddleware, which picks a language per reader, is not used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Also undoes a language a previous request on this thread may have left active.
        with translation.override(settings.LANGUAGE_CODE):
            return self.get_response(request)
