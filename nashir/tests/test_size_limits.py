"""Oversized input is refused with a message, never paid for in memory or answered with a 500."""

from io import BytesIO

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.images import get_image_model

from comments.models import Comment
from corrections.models import ReaderSubmission
from testing.helpers import png, shown_seconds_ago

pytestmark = pytest.mark.django_db


def upload(admin_client, name, content):
    """The admin's image upload, as its page's script sends each chosen file."""
    return admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile(name, content, content_type="image/png")},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def test_an_image_of_too_many_pixels_is_refused_with_an_arabic_message(admin_client, settings):
    huge = png(11000, 11000)
    assert len(huge) < 100_000  # small on disk; 121 million pixels, about 480 MB once decoded

    response = upload(admin_client, "huge.png", huge)

    assert response.status_code == 200
    answer = response.json()
    assert answer["success"] is False
    assert "هذا الملف يحتوي على عدد كبير جدًا من البكسل (121000000)" in answer["error_message"]
    assert str(settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS) in answer["error_message"]
    assert not get_image_model().objects.exists()


def test_an_image_within_the_limit_is_taken(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    response = upload(admin_client, "photo.png", png(6000, 4000))  # 24 megapixels, a camera's

    assert response.json()["success"] is True
    assert get_image_model().objects.get().width == 6000


def test_the_pixel_limit_is_forty_megapixels(settings):
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 40_000_000


@pytest.fixture
def published(seed_article, settings):
    settings.NASHIR_FORM_MIN_SECONDS = 0
    return seed_article


def form_errors(response):
    """The errors of a reader form shown again (status 400, as every refused reader form)."""
    assert response.status_code == 400, response.status_code
    page = BeautifulSoup(response.content, "lxml")
    return " ".join(item.get_text(" ", strip=True) for item in page.select(".field__errors li, .form-errors li"))


def test_a_comment_over_its_length_is_refused_with_the_limit(client, published):
    data = {"name": "سامي", "email": "sami@example.org", "body": "ك" * 3001, "website": ""}

    response = client.post(reverse("comments:post", args=[published.pk]), {**data, "rendered_at": shown_seconds_ago()})

    assert "التعليق طويل: 3000 حرف على الأكثر (كتبت 3001)." in form_errors(response)
    assert not Comment.objects.exists()


def test_a_correction_over_its_length_is_refused_with_the_limit(client, published):
    data = {
        "what_is_wrong": "خ" * 3001,
        "correct_information": "المعلومة الصحيحة.",
        "website": "",
        "rendered_at": shown_seconds_ago(),
    }

    response = client.post(reverse("corrections:new", args=[published.pk]), data)

    assert "تأكد أن هذه القيمة تحتوي على 3000 حرف أو رمز على الأكثر (هي تحتوي حالياً على 3001)." in form_errors(response)
    assert not ReaderSubmission.objects.exists()


def test_a_request_body_over_the_limit_is_a_400_not_a_500(client, published, settings):
    body = "ك" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 2 + 1)  # two bytes a letter
    data = {"name": "سامي", "email": "sami@example.org", "body": body, "rendered_at": shown_seconds_ago()}

    response = client.post(reverse("comments:post", args=[published.pk]), data)

    assert response.status_code == 400
    assert not Comment.objects.exists()
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 1024 * 1024


def test_png_helper_writes_what_pillow_reads():
    from PIL import Image

    with Image.open(BytesIO(png(30, 20))) as image:
        image.load()
        assert image.size == (30, 20) and image.getpixel((29, 19)) == 0
