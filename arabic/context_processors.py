from django.utils import translation


def language(request):
    """`lang` and `dir` for the <html> element, from the active language."""
    return {
        "html_lang": translation.get_language() or "ar",
        "html_dir": "rtl" if translation.get_language_bidi() else "ltr",
    }
