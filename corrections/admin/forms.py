from django import forms
from django.utils.translation import gettext_lazy as _

from corrections.models import CommentRequest, CorrectionNote, NoteKind, SubmissionStatus
from editor_forms.fields import PlainTextField


class SubmissionEditForm(forms.ModelForm):
    """Accepting goes through «قبول ونشر», which writes the public note or reply."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [c for c in SubmissionStatus.choices if c[0] != SubmissionStatus.ACCEPTED]
        if self.instance.status == SubmissionStatus.ACCEPTED:
            choices = SubmissionStatus.choices
        self.fields["status"].choices = choices


class AcceptCorrectionForm(forms.Form):
    kind = forms.ChoiceField(label=_("نوع الملاحظة"), choices=NoteKind.choices)
    text = PlainTextField(label=_("نص الملاحظة كما سيُنشر"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000)
    supersedes = forms.ModelChoiceField(label=_("تحل محلّ"), queryset=CorrectionNote.objects.none(), required=False)

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supersedes"].queryset = article.correction_notes.all()


class AcceptReplyForm(forms.Form):
    organisation = PlainTextField(label=_("الجهة"), max_length=200)
    name = PlainTextField(label=_("الاسم"), max_length=120, required=False)
    role = PlainTextField(label=_("الصفة"), max_length=120, required=False)
    statement = PlainTextField(
        label=_("نص الرد كما سيُنشر"), widget=forms.Textarea(attrs={"rows": 10}), max_length=10000
    )
    comment_request = forms.ModelChoiceField(
        label=_("ردًّا على طلب التعليق"), queryset=CommentRequest.objects.none(), required=False
    )

    def __init__(self, *args, article, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment_request"].queryset = article.comment_requests.filter(reply__isnull=True)
