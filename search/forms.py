from datetime import datetime, time, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bounds import limits
from news.models import Author, Desk, SectionPage
from search.backends import Filters
from search.query import MAX_QUERY_LENGTH


class ListedChoices(forms.models.ModelChoiceIterator):
    """A choice field's few rows read by one plain query.

    Django reads them with QuerySet.iterator(), which on PostgreSQL opens a
    server-side cursor: a declare, a fetch and a close for a list of a few
    dozen rows, three times on every search page.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


class SectionChoiceField(ListedChoiceField):
    def to_python(self, value):
        # A number no key can be is no section; SQLite would overflow looking it up.
        if value not in self.empty_values and limits.row_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)

    def label_from_instance(self, section):
        # Subsections under their section, indented.
        return "— " * (section.depth - 3) + section.title


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("عبارة البحث"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "enterkeyhint": "search"}),
        error_messages={"max_length": _("عبارة البحث أطول من %(limit_value)d حرفًا؛ اختصرها ثم أعد البحث.")},
    )
    section = SectionChoiceField(
        queryset=SectionPage.objects.none(),
        required=False,
        label=_("القسم"),
        empty_label=_("كل الأقسام"),
    )
    author = ListedChoiceField(
        queryset=Author.objects.order_by("name"), required=False, label=_("الكاتب"), empty_label=_("كل الكتّاب")
    )
    desk = ListedChoiceField(
        queryset=Desk.objects.order_by("name"), required=False, label=_("قسم التحرير"), empty_label=_("كل الأقسام")
    )
    published_from = limits.DateField(
        label=_("من تاريخ"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    published_to = limits.DateField(
        label=_("إلى تاريخ"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    sort = forms.ChoiceField(
        label=_("الترتيب"),
        choices=[("relevance", _("الأكثر صلة")), ("newest", _("الأحدث"))],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = SectionPage.objects.published().order_by("path")
        invalid = _("اختر قيمة من القائمة.")
        for name in ("section", "author", "desk"):
            self.fields[name].error_messages["invalid_choice"] = invalid
        for name in ("published_from", "published_to"):
            self.fields[name].error_messages["invalid"] = _("اكتب التاريخ بالشكل 2020-05-17.")
        self.fields["sort"].error_messages["invalid_choice"] = invalid

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("published_from"), cleaned.get("published_to")
        if start and end and end < start:
            self.add_error("published_to", _("تاريخ النهاية قبل تاريخ البداية."))
        return cleaned

    def filters(self) -> Filters:
        """The chosen filters; dates are whole days in the site's time zone."""
        data = self.cleaned_data
        start, end = data.get("published_from"), data.get("published_to")
        return Filters(
            section_path=data["section"].path if data.get("section") else "",
            author_id=data["author"].pk if data.get("author") else None,
            desk_id=data["desk"].pk if data.get("desk") else None,
            published_from=_day_start(start) if start else None,
            published_before=_day_start(end + timedelta(days=1)) if end else None,
        )

    @property
    def newest_first(self):
        return self.cleaned_data.get("sort") == "newest"


def _day_start(day):
    return timezone.make_aware(datetime.combine(day, time.min))
