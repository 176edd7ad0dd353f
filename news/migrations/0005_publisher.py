

import django.core.validators
import django.db.models.deletion
import wagtail.fields
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0004_articlepage_updated_at'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtailimages', '0027_image_description'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AboutPage',
            fields=[
                ('page_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to=settings.WAGTAIL_PAGE_MODEL)),
                ('body', wagtail.fields.StreamField([('paragraph', 0), ('heading', 1), ('quote', 6), ('image', 11), ('list', 15), ('embed', 17)], block_lookup={0: ('wagtail.blocks.RichTextBlock', (), {'features': ['bold', 'italic', 'link', 'document-link'], 'icon': 'pilcrow', 'label': 'فقرة'}), 1: ('news.blocks.HeadingBlock', (), {}), 2: ('wagtail.blocks.TextBlock', (), {'label': 'نص الاقتباس'}), 3: ('wagtail.blocks.CharBlock', (), {'label': 'القائل', 'required': False}), 4: ('wagtail.blocks.CharBlock', (), {'help_text': 'مثال: بيان رسمي، مقابلة مع صحيفة عكاظ', 'label': 'المصدر', 'required': False}), 5: ('wagtail.blocks.URLBlock', (), {'label': 'رابط المصدر', 'required': False}), 6: ('wagtail.blocks.StructBlock', [[('text', 2), ('speaker', 3), ('source', 4), ('source_url', 5)]], {}), 7: ('wagtail.images.blocks.ImageChooserBlock', (), {'label': 'الصورة'}), 8: ('wagtail.blocks.CharBlock', (), {'help_text': 'وصف الصورة لمن لا يراها، يقرؤه قارئ الشاشة.', 'label': 'النص البديل'}), 9: ('wagtail.blocks.CharBlock', (), {'label': 'التعليق', 'required': False}), 10: ('wagtail.blocks.CharBlock', (), {'label': 'حقوق الصورة', 'required': False}), 11: ('wagtail.blocks.StructBlock', [[('image', 7), ('alt_text', 8), ('caption', 9), ('credit', 10)]], {}), 12: ('wagtail.blocks.BooleanBlock', (), {'label': 'قائمة مرقمة', 'required': False}), 13: ('wagtail.blocks.CharBlock', (), {'label': 'بند'}), 14: ('wagtail.blocks.ListBlock', (13,), {'label': 'البنود'}), 15: ('wagtail.blocks.StructBlock', [[('ordered', 12), ('items', 14)]], {}), 16: ('wagtail.embeds.blocks.EmbedBlock', (), {'help_text': 'رابط فيديو يوتيوب أو تغريدة أو منشور.', 'label': 'رابط المحتوى المضمّن'}), 17: ('wagtail.blocks.StructBlock', [[('embed', 16), ('caption', 9)]], {})}, verbose_name='النص')),
                ('last_reviewed', models.DateField(blank=True, help_text='يظهر للقراء تحت العنوان.', null=True, verbose_name='تاريخ آخر مراجعة')),
            ],
            options={
                'verbose_name': 'صفحة تعريفية',
                'verbose_name_plural': 'صفحات تعريفية',
            },
            bases=('wagtailcore.page',),
        ),
        migrations.CreateModel(
            name='PublisherSettings',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('x_handle', models.CharField(blank=True, max_length=16, validators=[django.core.validators.RegexValidator('^@?\\w{1,15}$', 'اكتب اسم الحساب فقط، مثل \u200e@nashir.')], verbose_name='حساب الموقع على إكس (تويتر)')),
                ('corrections_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='سياسة التصحيحات')),
                ('diversity_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='سياسة التنوع')),
                ('ethics_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='ميثاق أخلاقيات المهنة')),
                ('feedback_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='سياسة التعامل مع ملاحظات القراء')),
                ('logo', models.ForeignKey(blank=True, help_text='يظهر في نتائج محركات البحث مع الأخبار. صورة واضحة على خلفية فاتحة، عرضها 600 بكسل أو أقل.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='الشعار')),
                ('masthead', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='هيئة التحرير')),
                ('mission_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='الرسالة وأولويات التغطية')),
                ('no_bylines_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='سياسة الأخبار دون توقيع شخصي')),
                ('ownership_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='الملكية والتمويل')),
                ('publishing_principles', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='مبادئ النشر')),
                ('share_image', models.ForeignKey(blank=True, help_text='تظهر عند مشاركة صفحة ليست لها صورة على وسائل التواصل. يُفضَّل 1200×630 بكسل.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailimages.image', verbose_name='صورة المشاركة الافتراضية')),
                ('site', models.OneToOneField(editable=False, on_delete=django.db.models.deletion.CASCADE, to='wagtailcore.site')),
                ('unnamed_sources_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='سياسة المصادر غير المسمّاة')),
                ('verification_policy', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='سياسة التحقق وتدقيق المعلومات')),
            ],
            options={
                'verbose_name': 'بيانات الناشر',
            },
        ),
    ]
