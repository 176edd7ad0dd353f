from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from live import services


class LiveEntryForm(WagtailAdminModelForm):
    """An entry as its writer may post it: a reporter's is a draft unless the coverage lets reporters publish."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "status" in self.fields:
            self.fields["status"].help_text = _(
                "تحديث المراسل يُحفظ مسودة حتى ينشره محرر، إلا في تغطية تسمح للمراسلين بالنشر مباشرة."
            )
        if "status" in self.fields and self.instance.pk is None and not self.is_bound:
            coverage = self.instance.coverage if self.instance.coverage_id else None
            self.initial["status"] = services.entry_default_status(user=self.for_user, coverage=coverage)
        # Whether this form's save published the entry, or had to keep it a draft.
        self.kept_as_draft = False

    def clean(self):
        cleaned_data = super().clean()
        coverage = cleaned_data.get("coverage")
        if self.instance.pk is None:
            self.instance.created_by = self.for_user
        wants_published = cleaned_data.get("status") == services.EntryStatus.PUBLISHED
        was_published = services.entry_was_published(self.instance)
        if wants_published and not was_published and coverage is not None:
            if not services.entry_may_publish(user=self.for_user, coverage=coverage):
                cleaned_data["status"] = services.EntryStatus.DRAFT
                self.kept_as_draft = True
        return cleaned_data
