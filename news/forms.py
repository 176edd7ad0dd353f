from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class ArticlePageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        bylines = self.formsets.get("bylines")
        has_author = bylines is not None and any(
            form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
            for form in bylines.forms
            if hasattr(form, "cleaned_data")
        )
        if not has_author and not cleaned_data.get("desk"):
            self.add_error("desk", ValidationError(_("اختر كاتبًا واحدًا على الأقل أو قسم تحرير يُوقَّع الخبر باسمه.")))
        return cleaned_data
