"""The blocks an article body is written in."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from news.embeds import embed_click_to_load

PARAGRAPH_FEATURES = ["bold", "italic", "link", "document-link"]


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("عنوان فرعي")
        template = "news/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("نص الاقتباس"))
    speaker = blocks.CharBlock(label=_("القائل"), required=False)
    source = blocks.CharBlock(label=_("المصدر"), required=False, help_text=_("مثال: بيان رسمي، مقابلة مع صحيفة عكاظ"))
    source_url = blocks.URLBlock(label=_("رابط المصدر"), required=False)

    class Meta:
        icon = "openquote"
        label = _("اقتباس")
        template = "news/blocks/quote.html"


class ArticleImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("الصورة"))
    alt_text = blocks.CharBlock(
        label=_("النص البديل"),
        help_text=_("وصف الصورة لمن لا يراها، يقرؤه قارئ الشاشة."),
    )
    caption = blocks.CharBlock(label=_("التعليق"), required=False)
    credit = blocks.CharBlock(label=_("حقوق الصورة"), required=False)

    class Meta:
        icon = "image"
        label = _("صورة")
        template = "news/blocks/image.html"


class ListBlock(blocks.StructBlock):
    ordered = blocks.BooleanBlock(label=_("قائمة مرقمة"), required=False)
    items = blocks.ListBlock(blocks.CharBlock(label=_("بند")), label=_("البنود"))

    class Meta:
        icon = "list-ul"
        label = _("قائمة")
        template = "news/blocks/list.html"


class ArticleEmbedBlock(blocks.StructBlock):
    embed = EmbedBlock(label=_("رابط المحتوى المضمّن"), help_text=_("رابط فيديو يوتيوب أو تغريدة أو منشور."))
    caption = blocks.CharBlock(label=_("التعليق"), required=False)

    class Meta:
        icon = "media"
        label = _("محتوى مضمّن")
        template = "news/blocks/embed.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["embed"] = embed_click_to_load(value["embed"].url) if value["embed"] else None
        return context


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(features=PARAGRAPH_FEATURES, label=_("فقرة"), icon="pilcrow")
    heading = HeadingBlock()
    quote = QuoteBlock()
    image = ArticleImageBlock()
    list = ListBlock()
    embed = ArticleEmbedBlock()
