"""The JSONL loader and the demo command."""

import datetime
import json
from io import StringIO
from itertools import islice

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection

from news.demo_newsroom import demo_stories
from news.models import ArticlePage, Desk, SectionPage
from news.services import planner_statistics_refresh
from testing.helpers import shared_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus_lines():
    with open(shared_file("data", "arabic-news.jsonl"), encoding="utf-8") as lines:
        return list(islice(lines, 6))


@pytest.fixture
def corpus_file(tmp_path, corpus_lines):
    path = tmp_path / "articles.jsonl"
    path.write_text("".join(corpus_lines), encoding="utf-8")
    return path


def load(path, **options):
    out = StringIO()
    call_command("load_articles", path, stdout=out, verbosity=0, **options)
    return out.getvalue()


def test_loads_real_articles_into_sections(home, corpus_file, corpus_lines):
    output = load(corpus_file)
    assert "6 created, 0 updated" in output
    records = [json.loads(line) for line in corpus_lines]
    for record in records:
        article = ArticlePage.objects.get(external_id=record["id"])
        assert article.live
        assert article.title == record["title"]
        assert article.get_parent().title == record["category_ar"]
        assert article.first_published_at == datetime.datetime.fromisoformat(record["date"])
        assert article.desk.name == "قسم الأخبار"
        paragraphs = [line for line in record["body"].splitlines() if line.strip()]
        assert len(article.body) == len(paragraphs)
        assert article.standfirst and paragraphs[0].startswith(article.standfirst.rstrip("…").rstrip("."))
        source = article.sources.get()
        assert source.url == record["url"]
    assert set(SectionPage.objects.values_list("title", flat=True)) == {r["category_ar"] for r in records}
    assert all(section.show_in_menus for section in SectionPage.objects.all())


def test_rerunning_updates_instead_of_duplicating(home, corpus_file, tmp_path, corpus_lines):
    load(corpus_file)
    first = json.loads(corpus_lines[0])
    article = ArticlePage.objects.get(external_id=first["id"])
    ArticlePage.objects.filter(pk=article.pk).update(view_count=12)

    first["title"] = "عنوان مصحح"
    changed = tmp_path / "changed.jsonl"
    changed.write_text("".join([json.dumps(first, ensure_ascii=False) + "\n", *corpus_lines[1:]]), encoding="utf-8")
    output = load(changed)

    assert "0 created, 6 updated" in output
    assert ArticlePage.objects.count() == 6
    assert SectionPage.objects.filter(title=first["category_ar"]).count() == 1
    article.refresh_from_db()
    assert article.title == "عنوان مصحح"
    assert article.view_count == 12  # an import never rolls a counter back
    assert article.sources.count() == 1


@pytest.mark.parametrize(
    ("bad_line", "reason"),
    [
        ("{not json", "line 4: not valid JSON"),
        (
            '{"id": "x", "title": "", "body": "نص", "date": "2018-01-01T00:00:00+00:00", "category_ar": "ثقافة"}',
            "title",
        ),
        (
            '{"id": "x", "title": "ع", "body": "نص", "date": "أمس", "category_ar": "ثقافة"}',
            "line 4: date is not ISO 8601",
        ),
        (
            '{"id": "x", "title": "ع", "body": "نص", "date": "2018-01-01T00:00:00", "category_ar": "ثقافة"}',
            "no time zone",
        ),
        ('{"id": "x", "title": "ع", "body": "نص", "date": "2018-01-01T00:00:00+00:00"}', "category_ar"),
        ("[1, 2]", "line 4: expected a JSON object"),
    ],
)
def test_a_bad_line_stops_the_load_with_its_number_and_loads_nothing(home, tmp_path, corpus_lines, bad_line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text("".join([*corpus_lines[:3], bad_line + "\n", *corpus_lines[3:]]), encoding="utf-8")
    with pytest.raises(CommandError, match=reason) as error:
        load(path)
    assert "Nothing was loaded" in str(error.value)
    assert ArticlePage.objects.count() == 0
    assert SectionPage.objects.count() == 0


def test_an_invalid_article_rolls_back_the_whole_load(home, tmp_path, corpus_lines):
    record = json.loads(corpus_lines[1])
    record["title"] = "ع" * 300  # longer than a page title may be
    path = tmp_path / "long.jsonl"
    path.write_text(corpus_lines[0] + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match=record["id"]):
        load(path)
    assert ArticlePage.objects.count() == 0


def test_a_title_too_long_anywhere_in_the_file_stops_the_load_before_anything_is_written(
    home, tmp_path, corpus_lines, monkeypatch
):
    monkeypatch.setattr("news.management.commands.load_articles.BATCH_SIZE", 2)
    record = json.loads(corpus_lines[5])
    record["title"] = "ع" * 300
    path = tmp_path / "long-last.jsonl"
    path.write_text("".join(corpus_lines[:5]) + json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing was loaded"):
        load(path)
    assert ArticlePage.objects.count() == 0


def test_a_load_commits_a_batch_at_a_time_so_readers_can_write_in_between(home, corpus_file, monkeypatch):
    """An article the database refuses late in the file leaves the batches before it loaded, and says so."""
    from django.core.exceptions import ValidationError

    from news.management.commands import load_articles

    monkeypatch.setattr(load_articles, "BATCH_SIZE", 2)
    real = load_articles.article_create_or_update
    calls = []

    def refusing_the_fifth(**kwargs):
        calls.append(kwargs["data"].external_id)
        if len(calls) == 5:
            raise ValidationError("refused")
        return real(**kwargs)

    monkeypatch.setattr(load_articles, "article_create_or_update", refusing_the_fifth)
    with pytest.raises(CommandError, match="The 4 articles before its batch were loaded"):
        load(corpus_file)
    assert set(ArticlePage.objects.values_list("external_id", flat=True)) == set(calls[:4])


def test_limit_and_missing_file(home, corpus_file, tmp_path):
    assert "2 created" in load(corpus_file, limit=2)
    with pytest.raises(CommandError, match="No such file"):
        load(tmp_path / "missing.jsonl")


@pytest.mark.slow  # loads the whole news corpus
def test_load_demo_adds_corpus_articles_when_the_corpus_is_there(home, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the demo's drawings
    settings.NASHIR_DATA_DIR = shared_file("data", "arabic-news.jsonl").parent
    out = StringIO()
    call_command("load_demo", articles=5, stdout=out, verbosity=0)
    output = out.getvalue()
    seed = ArticlePage.objects.get(external_id="nashir-seed-caesar-2020-05-18")
    assert seed.view_count == 34
    assert [s.title for s in seed.get_ancestors()[2:]] == ["الشرق الأوسط", "سوريا"]
    demo = len(demo_stories()) + 1  # the demo's own stories and the seed article
    assert ArticlePage.objects.count() == demo + 5
    assert "No corpus" not in output
    assert set(Desk.objects.values_list("name", flat=True)) >= {"قسم الأخبار", "فريق التحرير"}
    assert "Demo editor: editor / " in output
    password = output.split("Demo editor: editor / ")[1].split()[0]
    editor = get_user_model().objects.get(username="editor")
    assert editor.check_password(password) and editor.groups.filter(name="Editors").exists()
    # Running it again keeps one of everything.
    call_command("load_demo", articles=5, stdout=StringIO(), verbosity=0)
    assert ArticlePage.objects.count() == demo + 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner statistics")
def test_a_bulk_load_leaves_the_planner_statistics_of_what_it_wrote(home, tmp_path):
    path = tmp_path / "articles.jsonl"
    records = [
        {
            "id": f"stat-{number}",
            "title": f"خبر رقم {number}",
            "body": "فقرة أولى من الخبر.\nفقرة ثانية.",
            "category_ar": "سياسة",
            "date": f"2024-03-0{number + 1}T10:00:00+00:00",
            "source": "BBC Arabic",
            "url": f"https://example.org/{number}",
        }
        for number in range(5)
    ]
    path.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")

    load(path)

    # ANALYZE counts the rows its own transaction wrote; without it the
    # estimate stays what it was before the load (-1: never analyzed).
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [ArticlePage._meta.db_table])
        (estimate,) = cursor.fetchone()
    assert estimate == ArticlePage.objects.count() == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's vacuum")
# serialized_rollback: the database is left as the next test that restores it expects (empty).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_outside_a_transaction_the_refresh_vacuums_too():
    """As `load_articles` and the WordPress import run it: autovacuum has nothing left to do after the load."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        (before,) = cursor.fetchone()
        planner_statistics_refresh()
        cursor.execute("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s", [ArticlePage._meta.db_table])
        (vacuumed,) = cursor.fetchone()
    assert vacuumed is not None and vacuumed >= before
