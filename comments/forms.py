import re

from django import forms
from django.utils.translation import gettext_lazy as _

from comments.models import Comment
from readers.input import ReaderForm, clean_text

LINK = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|net|org|info|ru|xyz|top|io)\b", re.IGNORECASE)


class CommentForm(ReaderForm):
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Comment
        fields = ["name", "email", "body"]
        labels = {"name": _("الاسم"), "email": _("البريد الإلكتروني"), "body": _("التعليق")}
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "name": {"required": _("اكتب اسمك."), "max_length": _("الاسم طويل: %(limit_value)d حرفًا على الأكثر.")},
            "email": {"required": _("اكتب بريدك الإلكتروني."), "invalid": _("عنوان البريد الإلكتروني غير صحيح.")},
            "body": {
                "required": _("اكتب تعليقك."),
                "max_length": _("التعليق طويل: %(limit_value)d حرف على الأكثر (كتبت %(show_value)d)."),
            },
        }

    def __init__(self, *args, article, max_links=2, **kwargs):
        self.article = article
        self.max_links = max_links
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs.update({"autocomplete": "name", "maxlength": 80})
        self.fields["email"].widget.attrs.update({"autocomplete": "email", "dir": "ltr"})

    def clean_name(self):
        name = clean_text(self.cleaned_data["name"], name=True)
        if not name:
            raise forms.ValidationError(_("اكتب اسمك."))
        return name

    def clean_body(self):
        body = clean_text(self.cleaned_data["body"])
        if not body:
            raise forms.ValidationError(_("اكتب تعليقك."))
        if len(LINK.findall(body)) > self.max_links:
            raise forms.ValidationError(
                _("في التعليق روابط كثيرة: %(limit)d على الأكثر.") % {"limit": self.max_links}, code="links"
            )
        return body

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_parent(self):
        parent_id = self.cleaned_data.get("parent")
        if not parent_id:
            return None
        # One level of threading: replies go to approved top-level comments of this article.
        parent = self.article.reader_comments.approved().filter(pk=parent_id, parent__isnull=True).first()
        if parent is None:
            raise forms.ValidationError(_("التعليق الذي تردّ عليه غير موجود."))
        return parent
