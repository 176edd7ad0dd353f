from django import forms
from django.utils.translation import gettext_lazy as _

from corrections.models import ReaderSubmission
from readers.input import ReaderForm, clean_text

REQUIRED = _("هذا الحقل مطلوب.")


class ReaderSubmissionForm(ReaderForm):
    required_fields = ()
    name_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.required_fields:
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = REQUIRED
        if "contact_email" in self.fields:
            self.fields["contact_email"].widget.attrs.update({"dir": "ltr", "autocomplete": "email"})
            self.fields["contact_email"].error_messages["invalid"] = _("عنوان البريد الإلكتروني غير صحيح.")
        if "evidence_url" in self.fields:
            self.fields["evidence_url"].widget.attrs["dir"] = "ltr"
            self.fields["evidence_url"].error_messages["invalid"] = _("اكتب رابطًا كاملًا يبدأ بـ https://")

    def _clean_fields(self):
        super()._clean_fields()
        for name, value in list(self.cleaned_data.items()):
            if isinstance(value, str) and name not in ("rendered_at", "website", "contact_email", "evidence_url"):
                cleaned = clean_text(value, name=name in self.name_fields)
                if not cleaned and name in self.required_fields:
                    self.add_error(name, REQUIRED)
                self.cleaned_data[name] = cleaned


class CorrectionForm(ReaderSubmissionForm):
    required_fields = ("what_is_wrong", "correct_information")
    evidence_url = forms.URLField(
        label=_("رابط يثبت ذلك (اختياري)"), max_length=500, required=False, assume_scheme="https"
    )

    class Meta:
        model = ReaderSubmission
        fields = ["what_is_wrong", "correct_information", "evidence_url", "contact_email"]
        labels = {
            "what_is_wrong": _("ما المعلومة الخاطئة في الخبر؟"),
            "correct_information": _("ما المعلومة الصحيحة أو التفاصيل الإضافية؟"),
            "evidence_url": _("رابط يثبت ذلك (اختياري)"),
            "contact_email": _("بريدك الإلكتروني (اختياري)"),
        }
        help_texts = {"contact_email": _("لنخبرك بما فعلناه. لن يُنشر ولن يُستخدم لغير ذلك.")}
        widgets = {
            "what_is_wrong": forms.Textarea(attrs={"rows": 4}),
            "correct_information": forms.Textarea(attrs={"rows": 4}),
        }


class ReplyForm(ReaderSubmissionForm):
    required_fields = ("name", "organisation", "statement", "contact_email")
    name_fields = ("name", "organisation", "role")

    class Meta:
        model = ReaderSubmission
        fields = ["name", "organisation", "role", "statement", "contact_email"]
        labels = {
            "name": _("الاسم"),
            "organisation": _("الجهة التي تمثلها"),
            "role": _("صفتك فيها (اختياري)"),
            "statement": _("نص الرد"),
            "contact_email": _("بريد التواصل"),
        }
        help_texts = {
            "organisation": _("اسم الشخص أو المؤسسة الذي ورد في الخبر. يظهر في عنوان الرد: «رد …»."),
            "contact_email": _("للتحقق من هويتك والتواصل معك. لن يُنشر."),
        }
        widgets = {"statement": forms.Textarea(attrs={"rows": 10})}
