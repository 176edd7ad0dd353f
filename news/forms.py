from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

from arabic.text import slugify


class NewsPageForm(WagtailAdminPageForm):
    """Fills an empty slug from the title, the Arabic way, when the browser did not."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug:
            return slug
        from news.services import page_slug_available

        base = slugify(self.cleaned_data.get("title") or "")
        if not base:
            raise ValidationError(_("اكتب معرّفًا للرابط: لم يمكن إنشاؤه من العنوان."))
        return page_slug_available(parent=self.parent_page, slug=base, exclude=self.instance)


class ArticlePageForm(NewsPageForm):
    substantive_update = forms.BooleanField(
        label=_("تعديل جوهري"),
        required=False,
        help_text=_(
            "علّم هنا إذا غيّر التعديل معنى الخبر أو معلوماته، فيظهر للقراء وقت «آخر تحديث». لا تعلّمه لتصحيح خطأ مطبعي."
        ),
    )

    def save(self, commit=True):
        page = super().save(commit=False)
        if self.cleaned_data.get("substantive_update"):
            page.updated_at = timezone.now()
        if commit:
            page.save()
        return page

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
