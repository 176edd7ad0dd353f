

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0007_external_ids'),
    ]

    operations = [
        migrations.AddField(
            model_name='aboutpage',
            name='external_id',
            field=models.CharField(blank=True, editable=False, max_length=255, null=True, unique=True),
        ),
    ]
