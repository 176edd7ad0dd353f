import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from corrections.models import ReaderSubmission, SubmissionKind, SubmissionStatus


class SubmissionFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(label=_("النوع"), choices=SubmissionKind.choices)
    status = django_filters.ChoiceFilter(label=_("الحالة"), choices=SubmissionStatus.choices)

    class Meta:
        model = ReaderSubmission
        fields = ["kind", "status", "assignee"]
