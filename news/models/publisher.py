"""Who publishes: logo, look, footer, social accounts and the policy pages readers and search engines look for."""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Page

from news.blocks import ArticleBodyBlock
from news.forms import NewsPageForm
from news.models.pages import FewPagesManager, RestrictionsMixin, readable_by_anyone
from news.theme import AA_CONTRAST, DEFAULT_HEADLINE_FONT, HEADLINE_FONTS, lowest_contrast

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
    # Not a Trust Project disclosure and no schema.org property: linked in the footer only.
    ("accessibility_statement", "", _("بيان إمكانية الوصول")),
]

# (field, label, the hosts its address may be on), in the order the footer lists them.
SOCIAL_ACCOUNTS = [
    ("facebook_url", _("فيسبوك"), ("facebook.com", "fb.com")),
    ("instagram_url", _("إنستغرام"), ("instagram.com",)),
    ("youtube_url", _("يوتيوب"), ("youtube.com",)),
    ("telegram_url", _("تيليغرام"), ("t.me", "telegram.me")),
    ("whatsapp_url", _("واتساب"), ("whatsapp.com", "wa.me")),
    ("tiktok_url", _("تيك توك"), ("tiktok.com",)),
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


@deconstructible
class OnHostValidator:
    """An address on one of `hosts` or their subdomains (www., m.)."""

    def __init__(self, hosts):
        self.hosts = tuple(hosts)

    def __call__(self, value):
        host = (urlsplit(value).hostname or "").lower()
        if not any(host == allowed or host.endswith("." + allowed) for allowed in self.hosts):
            raise ValidationError(_("هذا الرابط ليس على %(host)s.") % {"host": self.hosts[0]})

    def __eq__(self, other):
        return isinstance(other, OnHostValidator) and other.hosts == self.hosts


def _social_field(name):
    label, hosts = next((label, hosts) for field, label, hosts in SOCIAL_ACCOUNTS if field == name)
    return models.URLField(
        label,
        blank=True,
        validators=[OnHostValidator(hosts)],
        help_text=_("الرابط الكامل للحساب، مثل https://%(host)s/…") % {"host": hosts[0]},
    )


class FooterLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("النص"), max_length=80)
    page = blocks.PageChooserBlock(label=_("صفحة من الموقع"), required=False)
    url = blocks.URLBlock(label=_("أو رابط"), required=False)

    class Meta:
        icon = "link"
        label = _("رابط")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("اختر صفحة من الموقع أو اكتب رابطًا، لا الاثنين."))}
            )
        return value


class FooterColumnBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("عنوان العمود"), max_length=60)
    links = blocks.ListBlock(FooterLinkBlock(), label=_("الروابط"), min_num=1, max_num=12)

    class Meta:
        icon = "list-ul"
        label = _("عمود")


def _colour_field(label, help_text):
    return models.CharField(
        label,
        max_length=7,
        blank=True,
        help_text=help_text,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("اكتب اللون بصيغة ‎#RRGGBB، مثل ‎#a4161a."))],
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
    accessibility_statement = _policy_field("accessibility_statement")
    brand_colour = _colour_field(
        _("لون الهوية"),
        _(
            "لون الروابط والأزرار واسم الموقع في الوضع الفاتح. يُرفض اللون إن كان تباينه مع الخلفية "
            "أو مع النص الأبيض فوقه أقل من 4.5:1 (المستوى AA في معايير WCAG). فارغًا: الأحمر الافتراضي."
        ),
    )
    brand_colour_dark = _colour_field(
        _("لون الهوية في الوضع الداكن"),
        _(
            "لون أفتح من لون الهوية يُقرأ على الخلفية الداكنة (تباين 4.5:1 على الأقل). "
            "فارغًا: اللون الافتراضي للوضع الداكن."
        ),
    )
    headline_font = models.CharField(
        _("خط العناوين"),
        max_length=10,
        choices=[(key, label) for key, (label, _stack) in HEADLINE_FONTS.items()],
        default=DEFAULT_HEADLINE_FONT,
        help_text=_("خط العناوين والقوائم. خطوط الموقع كلها مضمّنة فيه ولا تُحمَّل من موقع آخر."),
    )
    footer_columns = StreamField(
        [("column", FooterColumnBlock())],
        verbose_name=_("أعمدة التذييل"),
        blank=True,
        max_num=4,
        help_text=_("أعمدة روابط تظهر في تذييل كل صفحة، قبل عمود صفحات السياسات."),
    )
    facebook_url = _social_field("facebook_url")
    instagram_url = _social_field("instagram_url")
    youtube_url = _social_field("youtube_url")
    telegram_url = _social_field("telegram_url")
    whatsapp_url = _social_field("whatsapp_url")
    tiktok_url = _social_field("tiktok_url")

    panels = [
        MultiFieldPanel([FieldPanel("logo"), FieldPanel("share_image"), FieldPanel("x_handle")], heading=_("الهوية")),
        MultiFieldPanel(
            [FieldPanel("brand_colour"), FieldPanel("brand_colour_dark"), FieldPanel("headline_font")],
            heading=_("المظهر"),
        ),
        MultiFieldPanel(
            [*(FieldPanel(field) for field, _label, _hosts in SOCIAL_ACCOUNTS)], heading=_("حسابات التواصل الاجتماعي")
        ),
        FieldPanel("footer_columns"),
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

    def clean(self):
        super().clean()
        errors = {}
        for field, dark in (("brand_colour", False), ("brand_colour_dark", True)):
            colour = getattr(self, field)
            if not colour or len(colour) != 7:
                continue  # empty, or refused by the field's own format check
            try:
                ratio = lowest_contrast(colour, dark=dark)
            except ValueError:
                continue
            if ratio < AA_CONTRAST:
                errors[field] = _(
                    "تباين هذا اللون %(ratio)s:1 فقط، والحد الأدنى 4.5:1 (WCAG AA): اختر لونًا أغمق"
                    " (أو أفتح في الوضع الداكن)."
                ) % {"ratio": f"{ratio:.2f}"}
        if errors:
            raise ValidationError(errors)

    def social_accounts(self):
        """[(label, url)] of the accounts the newsroom filled in."""
        return [(label, getattr(self, field)) for field, label, _hosts in SOCIAL_ACCOUNTS if getattr(self, field)]

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
