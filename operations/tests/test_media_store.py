"""Uploads in an S3 store (NASHIR_MEDIA_STORAGE=s3), against moto's server on 127.0.0.1 (testing/s3.py).

Readers get renditions from the store at plain, lasting URLs; originals,
documents and waiting uploads are private objects that only the
application's own views hand out, after their permission checks.
"""

import io
import json
from urllib.parse import quote, unquote, urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import reverse
from PIL import ExifTags, Image
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction

from nashir.settings.media import RENDITION_CACHE_CONTROL
from nashir.views import media
from news.factories import ArticlePageFactory
from news.photos import metadata_found
from operations.media import (
    bucket_policy,
    in_store,
    media_on_disk,
    media_origins,
    media_store_check,
    rendition_storage,
    rendition_storage_current,
)
from testing.helpers import parse
from testing.s3 import anonymous_get

pytestmark = pytest.mark.django_db


def phone_photo() -> bytes:
    """A JPEG that says where it was taken (GPS) and with what."""
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = "SourcePhone 7"
    exif[ExifTags.IFD.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (35.0, 55.0, 48.0)}
    output = io.BytesIO()
    Image.new("RGB", (120, 80), "teal").save(output, format="JPEG", exif=exif)
    return output.getvalue()


def plain_url(s3_server, bucket, key):
    """The object's address at the store, unsigned: what anyone who learns the key could try."""
    return f"{s3_server.endpoint}/{bucket}/{quote(key)}"


def media_view(path, user):
    request = RequestFactory().get(f"/media/{path}")
    request.user = user
    return media(request, path)


def test_a_photo_uploaded_in_the_admin_is_private_and_readers_get_its_renditions(
    client, editor, s3_media, s3_server, whole_pages_off
):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailimages:add"),
        {"title": "المعبر", "file": SimpleUploadedFile("صورة المعبر.jpg", phone_photo(), "image/jpeg")},
    )
    assert response.status_code == 302, response.content[:500]
    image = get_image_model().objects.get(title="المعبر")

    # Stored in the bucket (under the name Wagtail makes of the Arabic one), without what the phone wrote.
    assert image.file.name.startswith("original_images/")
    assert s3_server.keys(s3_media) == [image.file.name]
    stored = s3_server.client().get_object(Bucket=s3_media, Key=image.file.name)["Body"].read()
    assert metadata_found(stored) == []
    assert b"SourcePhone" not in stored

    # Nobody reads the original at the store, nor finds a signed link to it: its URL is the site's own.
    status, _, _ = anonymous_get(plain_url(s3_server, s3_media, image.file.name))
    assert status == 403
    assert image.file.url.startswith("/media/original_images/")
    # The media view (SERVE_MEDIA, no nginx) passes it to staff, and to nobody else.
    with pytest.raises(Http404):
        media_view(image.file.name, AnonymousUser())
    served = media_view(image.file.name, editor)
    assert b"".join(served.streaming_content) == stored
    assert served["Content-Type"] == "image/jpeg" and served["Cache-Control"] == "private, no-store"

    # A reader's page shows the renditions at the store, which anyone can fetch, as a CDN would keep them.
    client.logout()
    article = ArticlePageFactory(
        featured_image=image,
        body=[{"type": "image", "value": {"image": image.pk, "alt_text": "المعبر", "caption": "", "credit": ""}}],
    )
    response = client.get(article.url)
    page = parse(response)
    sources = [img["src"] for img in page.select("main img:not(.view-pixel)")]
    assert sources, "the article shows no picture"
    for source in sources:
        assert source.startswith(f"{s3_server.endpoint}/{s3_media}/images/"), source
        assert "Signature" not in source and "?" not in source
        status, headers, body = anonymous_get(source)
        assert status == 200, source
        assert headers["Content-Type"] == "image/jpeg" and headers["Cache-Control"] == RENDITION_CACHE_CONTROL
        assert Image.open(io.BytesIO(body)).format == "JPEG" and metadata_found(body) == []
        assert unquote(urlsplit(source).path).removeprefix(f"/{s3_media}/") in s3_server.keys(s3_media)
    # The page's Content-Security-Policy lets it show them.
    image_sources = next(
        directive for directive in response["Content-Security-Policy"].split("; ") if directive.startswith("img-src")
    )
    assert s3_server.endpoint in image_sources.split()


def test_two_photos_of_one_name_keep_both_files(s3_media, s3_server):
    # S3Storage would overwrite the first by default.
    first = get_image_model().objects.create(title="1", file=SimpleUploadedFile("photo.jpg", phone_photo()))
    second = get_image_model().objects.create(title="2", file=SimpleUploadedFile("photo.jpg", phone_photo()))
    assert first.file.name != second.file.name
    assert s3_server.keys(s3_media) == sorted([first.file.name, second.file.name])


def test_images_stored_before_are_cleaned_in_the_store(s3_media, s3_server, capsys):
    # As an upload that predates the cleaning was stored: written as it came, no signal on the way.
    name = default_storage.save("original_images/old.jpg", ContentFile(phone_photo()))
    image = get_image_model().objects.create(title="قديمة", file=SimpleUploadedFile("placeholder.jpg", phone_photo()))
    default_storage.delete(image.file.name)
    get_image_model().objects.filter(pk=image.pk).update(file=name)
    image.refresh_from_db()
    rendition = image.get_rendition("width-60")
    assert metadata_found(anonymous_get(rendition.url)[2]) == ["exif"]

    call_command("strip_image_metadata")
    assert "1" in capsys.readouterr().out
    image.refresh_from_db()
    assert metadata_found(s3_server.client().get_object(Bucket=s3_media, Key=image.file.name)["Body"].read()) == []
    assert not rendition_storage.exists(rendition.file.name)
    assert metadata_found(anonymous_get(image.get_rendition("width-60").url)[2]) == []


def test_documents_go_through_the_permission_check_and_are_private_at_the_store(client, editor, s3_media, s3_server):
    Document = get_document_model()
    public = Document.objects.create(title="بيان", file=ContentFile(b"%PDF-1.4 statement", name="بيان.pdf"))
    private_collection = Collection.get_first_root_node().add_child(name="مصادر")
    CollectionViewRestriction.objects.create(
        collection=private_collection, restriction_type=CollectionViewRestriction.LOGIN
    )
    leak = Document.objects.create(
        title="وثيقة مسربة", file=ContentFile(b"%PDF-1.4 leak", name="leak.pdf"), collection=private_collection
    )

    for document in (public, leak):
        status, _, _ = anonymous_get(plain_url(s3_server, s3_media, document.file.name))
        assert status == 403, document.file.name

    # Streamed by Django (Wagtail's serve view reads the object; no redirect to the store).
    response = client.get(public.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 statement"
    response = client.get(leak.url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(editor)
    response = client.get(leak.url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 leak"


@pytest.mark.parametrize(
    "path",
    [
        "images/../original_images/photo.jpg",
        "/original_images/photo.jpg",
        "images\\..\\original_images\\photo.jpg",
        "../original_images/photo.jpg",
    ],
)
def test_the_media_view_gives_readers_no_original_from_the_store(s3_media, path):
    default_storage.save("original_images/photo.jpg", ContentFile(b"original"))
    with pytest.raises(Http404):
        media_view(path, AnonymousUser())


def test_staff_only_files_reach_staff_only(s3_media, editor, django_user_model):
    name = default_storage.save("uploaded_files/waiting.jpg", ContentFile(b"waiting"))
    assert b"".join(media_view(name, editor).streaming_content) == b"waiting"
    reader_account = django_user_model.objects.create_user("reader", password="x")
    with pytest.raises(Http404):
        media_view(name, reader_account)


def test_the_store_check_passes_with_the_shipped_policy(s3_media):
    checks = media_store_check()
    assert [(check.prefix, check.ok) for check in checks] == [
        ("images/", True),
        ("original_images/", True),
        ("documents/", True),
        ("uploaded_files/", True),
    ]
    assert [check.status for check in checks] == [200, 403, 403, 403]


def test_the_store_check_fails_when_readers_could_read_everything(s3_media, s3_server):
    policy = bucket_policy(s3_media)
    policy["Statement"][0]["Resource"] = f"arn:aws:s3:::{s3_media}/*"
    s3_server.client().put_bucket_policy(Bucket=s3_media, Policy=json.dumps(policy))
    checks = {check.prefix: check for check in media_store_check()}
    assert checks["images/"].ok
    assert not checks["original_images/"].ok and checks["original_images/"].status == 200
    assert not checks["documents/"].ok


def test_the_store_check_fails_when_readers_cannot_see_renditions(s3_media, s3_server):
    s3_server.client().delete_bucket_policy(Bucket=s3_media)
    checks = {check.prefix: check for check in media_store_check()}
    assert not checks["images/"].ok and checks["images/"].status == 403
    assert checks["original_images/"].ok
    assert s3_server.keys(s3_media) == []  # the check leaves nothing behind


def test_renditions_from_a_cdn(settings, s3_media, s3_server):
    settings.STORAGES = {**settings.STORAGES, **s3_server.storages(s3_media, custom_domain="media.news.example")}
    image = get_image_model().objects.create(title="CDN", file=SimpleUploadedFile("cdn.jpg", phone_photo()))
    assert image.get_rendition("width-60").url.startswith("https://media.news.example/images/cdn.")
    assert "https://media.news.example" in media_origins()
    assert image.file.url.startswith("/media/original_images/")


def test_the_storages_follow_a_change_of_settings_and_come_back(settings, s3_server):
    # Wagtail keeps the rendition storage it got at start-up; a test's store must not stay in it.
    bucket = s3_server.bucket_create()
    try:
        with override_settings(STORAGES={**settings.STORAGES, **s3_server.storages(bucket)}):
            assert not media_on_disk() and in_store(rendition_storage_current())
            assert rendition_storage.url("images/x.jpg") == f"{s3_server.endpoint}/{bucket}/images/x.jpg"
            assert media_origins() == [s3_server.endpoint]
        assert media_on_disk()
        assert rendition_storage.path("x") == str(settings.MEDIA_ROOT / "x")
        assert media_origins() == []
    finally:
        s3_server.bucket_delete(bucket)


def test_the_check_command_says_what_is_wrong(s3_media, s3_server, capsys):
    call_command("check_media_store")
    assert capsys.readouterr().out.count("ok ") == 4
    s3_server.client().delete_bucket_policy(Bucket=s3_media)
    with pytest.raises(CommandError, match="images/"):
        call_command("check_media_store")
    assert "WRONG images/" in capsys.readouterr().out
    call_command("check_media_store", "--policy")
    assert json.loads(capsys.readouterr().out) == bucket_policy(s3_media)


def test_the_check_command_on_disk():
    with pytest.raises(CommandError, match="disk"):
        call_command("check_media_store")
