

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('comments', '0002_editor_permissions'),
    ]

    operations = [
        migrations.AddField(
            model_name='comment',
            name='external_id',
            field=models.CharField(blank=True, editable=False, max_length=255, null=True, unique=True),
        ),
    ]
