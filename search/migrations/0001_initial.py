
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('news', '0004_articlepage_updated_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('page', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search_entry', serialize=False, to='news.articlepage')),
                ('path', models.CharField(db_index=True, max_length=255)),
                ('first_published_at', models.DateTimeField(db_index=True)),
                ('title', models.TextField()),
                ('standfirst', models.TextField(blank=True)),
                ('body', models.TextField(blank=True)),
                ('title_terms', models.TextField()),
                ('standfirst_terms', models.TextField(blank=True)),
                ('body_terms', models.TextField(blank=True)),
                ('meta_terms', models.TextField(blank=True)),
                ('length', models.PositiveIntegerField()),
            ],
            options={
                'verbose_name': 'مدخل في فهرس البحث',
                'verbose_name_plural': 'مداخل فهرس البحث',
            },
        ),
        migrations.CreateModel(
            name='Posting',
            fields=[
                ('pk', models.CompositePrimaryKey('entry', 'term', blank=True, editable=False, primary_key=True, serialize=False)),
                ('term', models.CharField(max_length=100)),
                ('tf', models.FloatField()),
                ('length', models.PositiveIntegerField()),
                ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='search.searchentry')),
            ],
            options={
                'indexes': [models.Index(fields=['term'], include=('entry', 'tf', 'length'), name='search_posting_term')],
            },
        ),
    ]
