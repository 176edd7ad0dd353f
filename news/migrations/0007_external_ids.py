

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0006_editor_publisher_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='author',
            name='external_id',
            field=models.CharField(blank=True, editable=False, max_length=255, null=True, unique=True),
        ),
    ]
