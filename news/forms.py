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
        if self._byline_missing(cleaned_data):
            self.add_error("desk", ValidationError(_("اختر كاتبًا واحدًا على الأقل أو قسم تحرير يُوقَّع الخبر باسمه.")))
        if self._follows_itself(cleaned_data.get("follows")):
            self.add_error("follows", ValidationError(_("لا يتابع الخبر نفسه ولا خبرًا يتابعه؛ اختر خبرًا أقدم.")))
        return cleaned_data

    def _follows_itself(self, follows):
        """True when the chosen story is this one or follows it, however far up: a chain has a first story."""
        if follows is None or self.instance.pk is None:
            return False
        seen, current = set(), follows.pk
        while current and current not in seen:
            if current == self.instance.pk:
                return True
            seen.add(current)
            current = type(follows).objects.filter(pk=current).values_list("follows_id", flat=True).first()
        return False

    def _byline_missing(self, cleaned_data):
        """Neither a desk nor an author in a byline row that stays.

        Like a required field, the byline may wait while the story is a draft
        (Wagtail defers required fields on "save draft" and autosave). The form
        is cleaned before its formsets, so the rows are validated here first;
        rows with errors of their own say what is wrong with them.
        """
        if self.is_deferred_validation or cleaned_data.get("desk"):
            return False
        bylines = self.formsets.get("bylines")
        if bylines is None:
            return True
        if not bylines.is_valid():
            return False
        deleted = {id(form) for form in bylines.deleted_forms}
        return not any(form.cleaned_data.get("author") for form in bylines.forms if id(form) not in deleted)
