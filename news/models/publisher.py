"""Who publishes: the organization's logo, sharing image and the policy pages readers and search engines look for."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from news.blocks import ArticleBodyBlock
from news.forms import NewsPageForm
from news.models.pages import FewPagesManager, RestrictionsMixin, readable_by_anyone

# (field, schema.org property of a NewsMediaOrganization, label): the Trust
# Project's disclosures, each a page the newsroom keeps up to date.
POLICY_PAGES = [
    ("mission_policy", "missionCoveragePrioritiesPolicy", _("الرسالة وأولويات التغطية")),
    ("publishing_principles", "publishingPrinciples", _("مبادئ النشر")),
    ("masthead", "masthead", _("هيئة التحرير")),
    ("corrections_policy", "correctionsPolicy", _("سياسة التصحيحات")),
    ("ethics_policy", "ethicsPolicy", _("ميثاق أخلاقيات المهنة")),
    ("diversity_policy", "diversityPolicy", _("سياسة التنوع")),
    ("no_bylines_policy", "noBylinesPolicy", _("سياسة الأخبار دون توقيع شخصي")),
    ("unnamed_sources_policy", "unnamedSourcesPolicy", _("سياسة المصادر غير المسمّاة")),
    ("verification_policy", "verificationFactCheckingPolicy", _("سياسة التحقق وتدقيق المعلومات")),
    ("feedback_policy", "actionableFeedbackPolicy", _("سياسة التعامل مع ملاحظات القراء")),
    ("ownership_policy", "ownershipFundingInfo", _("الملكية والتمويل")),
]


class AboutPage(RestrictionsMixin, Page):
    """A page about the newsroom: a policy, the masthead, who funds it."""

    objects = FewPagesManager()

    body = StreamField(ArticleBodyBlock(), verbose_name=_("النص"))
    last_reviewed = models.DateField(
        _("تاريخ آخر مراجعة"), null=True, blank=True, help_text=_("يظهر للقراء تحت العنوان.")
    )
    # The page's key in an imported archive (e.g. "wp:<site>:<post id>"), so re-runs update it.
    external_id = models.CharField(max_length=255, unique=True, null=True, blank=True, editable=False)

    content_panels = Page.content_panels + [FieldPanel("body"), FieldPanel("last_reviewed")]
    parent_page_types = ["news.HomePage", "news.AboutPage"]
    subpage_types = ["news.AboutPage"]
    base_form_class = NewsPageForm
    template = "news/about_page.html"

    class Meta:
        verbose_name = _("صفحة تعريفية")
        verbose_name_plural = _("صفحات تعريفية")


def _image_field(label, help_text):
    return models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=help_text,
    )


def _policy_field(name):
    label = next(label for field, _property, label in POLICY_PAGES if field == name)
    return models.ForeignKey(
        "wagtailcore.Page", verbose_name=label, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


@register_setting(icon="site")
class PublisherSettings(BaseSiteSetting):
    logo = _image_field(
        _("الشعار"),
        _("يظهر في نتائج محركات البحث مع الأخبار. صورة واضحة على خلفية فاتحة، عرضها 600 بكسل أو أقل."),
    )
    share_image = _image_field(
        _("صورة المشاركة الافتراضية"),
        _("تظهر عند مشاركة صفحة ليست لها صورة على وسائل التواصل. يُفضَّل 1200×630 بكسل."),
    )
    x_handle = models.CharField(
        _("حساب الموقع على إكس (تويتر)"),
        max_length=16,
        blank=True,
        validators=[RegexValidator(r"^@?\w{1,15}$", _("اكتب اسم الحساب فقط، مثل ‎@nashir."))],
    )
    publishing_principles = _policy_field("publishing_principles")
    masthead = _policy_field("masthead")
    corrections_policy = _policy_field("corrections_policy")
    ethics_policy = _policy_field("ethics_policy")
    diversity_policy = _policy_field("diversity_policy")
    no_bylines_policy = _policy_field("no_bylines_policy")
    unnamed_sources_policy = _policy_field("unnamed_sources_policy")
    verification_policy = _policy_field("verification_policy")
    mission_policy = _policy_field("mission_policy")
    feedback_policy = _policy_field("feedback_policy")
    ownership_policy = _policy_field("ownership_policy")

    panels = [
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("share_image"), FieldPanel("x_handle")], heading=_("الهوية")),
        MultiFieldPanel(
            [
                HelpPanel(
                    _(
                        "صفحات يقرؤها القراء ومحركات البحث ليعرفوا كيف تعمل غرفة الأخبار (معايير مشروع الثقة). "
                        "أنشئ كل صفحة من نوع «صفحة تعريفية» ثم اخترها هنا."
                    )
                ),
                *(FieldPanel(field) for field, _property, _label in POLICY_PAGES),
            ],
            heading=_("صفحات السياسات"),
        ),
    ]

    class Meta:
        verbose_name = _("بيانات الناشر")

    def policy_pages(self):
        """[(schema.org property, label, live page or None)], in the order of POLICY_PAGES."""
        policies = Page.objects.filter(readable_by_anyone(), pk__in=self._policy_ids())
        pages = {page.pk: page for page in policies}
        return [
            (schema_property, label, pages.get(getattr(self, f"{field}_id")))
            for field, schema_property, label in POLICY_PAGES
        ]

    def missing_policies(self):
        """Labels of the policies with no live, public page."""
        return [label for _property, label, page in self.policy_pages() if page is None]

    def _policy_ids(self):
        return [pk for field, _property, _label in POLICY_PAGES if (pk := getattr(self, f"{field}_id"))]
