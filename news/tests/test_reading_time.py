"""The article's reading time: its words at 180 a minute, rounded up, in Arabic."""

import pytest

from arabic.templatetags.arabic_tags import arabic_minutes
from news.factories import ArticlePageFactory
from testing.helpers import parse

pytestmark = pytest.mark.django_db


def story_of(words, *, section):
    """A story of `words` words: a standfirst of two and a body of the rest, over two paragraphs."""
    body = words - 2
    first, second = " ".join(["كلمة"] * (body // 2)), " ".join(["خبر"] * (body - body // 2))
    return ArticlePageFactory(
        parent=section,
        standfirst="مقدمة قصيرة",
        body=[
            {"type": "paragraph", "value": f"<p>{first}</p>"},
            {"type": "paragraph", "value": f"<p><b>{second}</b></p>"},
        ],
    )


@pytest.mark.parametrize(
    ("words", "shown"),
    [
        (40, "دقيقة واحدة"),
        (180, "دقيقة واحدة"),
        (181, "دقيقتان"),
        (360, "دقيقتان"),
        (361, "3 دقائق"),
        (2000, "12 دقيقة"),
    ],
)
def test_reading_time_counts_the_standfirst_and_body(client, seed_article, words, shown):
    story = story_of(words, section=seed_article.get_parent())
    soup = parse(client.get(story.url))
    assert soup.select_one(".article__reading-time").get_text(strip=True) == f"وقت القراءة: {shown}"


def test_minutes_agree_with_their_count_and_follow_the_sites_digits(settings):
    assert [arabic_minutes(n) for n in (1, 2, 3, 10, 11, 100)] == [
        "دقيقة واحدة",
        "دقيقتان",
        "3 دقائق",
        "10 دقائق",
        "11 دقيقة",
        "100 دقيقة",
    ]
    settings.NASHIR_DIGITS = "arabic"
    assert arabic_minutes(4) == "٤ دقائق"
