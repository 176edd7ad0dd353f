"""How the articles write each word, for suggestions; counted from the entries already indexed."""

from collections import Counter

from django.db import migrations, models

from arabic.analysis import written_words

# As `search.query.MAX_TERM_LENGTH`: longer words are not suggested.
MAX_LENGTH = 60


def count_spellings(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    Spelling = apps.get_model("search", "Spelling")
    counts = Counter()
    for texts in SearchEntry.objects.values_list("title", "standfirst", "body").iterator(chunk_size=500):
        counts.update(pair for text in texts for pair in written_words(text) if len(pair[1]) <= MAX_LENGTH)
    Spelling.objects.bulk_create(
        (Spelling(form=form, written=written, occurrences=n) for (form, written), n in counts.items()),
        batch_size=1000,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_sqlite_fts"),
    ]

    operations = [
        migrations.CreateModel(
            name="Spelling",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "form", "written", blank=True, editable=False, primary_key=True, serialize=False
                    ),
                ),
                ("form", models.CharField(max_length=100)),
                ("written", models.CharField(max_length=100)),
                ("occurrences", models.IntegerField()),
            ],
        ),
        migrations.RunPython(count_spellings, migrations.RunPython.noop, elidable=True),
    ]
