"""Wagtail's image form for the newsroom (WAGTAILIMAGES_IMAGE_FORM_BASE).

Apart from news.forms, which the models import: Wagtail's image forms need the
models loaded.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm


class ImageForm(BaseImageForm):
    """Says that an image's description is its alt text.

    The article page gives the description to readers who cannot see the image
    (`default_alt_text`); a bare «وصف» does not tell a newcomer so.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "description" in self.fields:
            self.fields["description"].label = _("النص البديل")
            self.fields["description"].help_text = _(
                "صِف ما في الصورة لمن لا يراها: يقرؤه قارئ الشاشة ويظهر مكانها إن لم تُحمَّل. "
                "إن تُرك فارغًا قُرئ عنوان الصورة بدلًا منه."
            )
