"""Uploaded photos lose their EXIF, GPS, XMP and IPTC, by every upload path, and so do their renditions."""

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms
from wagtail.images import get_image_model
from wagtail.images.models import hash_filelike

from wordpress.images import Uploads

pytestmark = pytest.mark.django_db

CAMERA = "SourcePhone 7"
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" photoshop:City="Idlib-XMP"/>'
    b"</rdf:RDF></x:xmpmeta>"
)
IPTC_MARK = b"Photoshop 3.0\x00"
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def source_photo(orientation=6) -> bytes:
    """A 60×30 JPEG as a phone writes it: camera, GPS, sideways with an orientation tag, XMP, IPTC, a colour profile.

    The left half red, the right half blue: shown upright (turned 90° clockwise),
    red is on top.
    """
    image = Image.new("RGB", (60, 30), "blue")
    image.paste((255, 0, 0), (0, 0, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SourcePhone"
    exif[ExifTags.Base.Model] = CAMERA
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 55.0, 48.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (36.0, 38.0, 2.0),
    }
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=95, exif=exif, xmp=XMP, icc_profile=SRGB)
    data = output.getvalue()
    # IPTC (Photoshop's APP13), which Pillow does not write: right after SOI.
    iptc = IPTC_MARK + b"8BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x5a\x00\x07Idlib-I"
    segment = b"\xff\xed" + (len(iptc) + 2).to_bytes(2, "big") + iptc
    return data[:2] + segment + data[2:]


def assert_clean(data: bytes, where: str):
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    assert dict(exif) == {}, where
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}, where
    assert "xmp" not in image.info and "exif" not in image.info, where
    for leak in (CAMERA.encode(), b"SourcePhone", b"Idlib", IPTC_MARK, b"GPS", b"http://ns.adobe.com"):
        assert leak not in data, (where, leak)


def assert_upright_with_profile(image, data: bytes):
    picture = Image.open(io.BytesIO(data))
    assert (image.width, image.height) == picture.size == (30, 60)
    assert picture.info.get("icc_profile") == SRGB
    top, bottom = picture.convert("RGB").getpixel((15, 10)), picture.convert("RGB").getpixel((15, 50))
    assert top[0] > 200 and top[2] < 60, top  # red on top
    assert bottom[2] > 200 and bottom[0] < 60, bottom


def stored(image) -> bytes:
    with image.open_file() as handle:
        return handle.read()


def assert_original_and_renditions_clean(image):
    data = stored(image)
    assert_clean(data, "original")
    assert_upright_with_profile(image, data)
    assert image.file_size == len(data)
    assert image.file_hash == hash_filelike(io.BytesIO(data))
    for spec in ("width-20", "fill-10x10", "original", "width-20|format-webp", "width-20|format-png"):
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            assert_clean(handle.read(), spec)


def test_the_test_photo_gives_everything_away():
    data = source_photo()
    image = Image.open(io.BytesIO(data))
    assert image.getexif()[ExifTags.Base.Model] == CAMERA
    assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"
    assert b"Idlib-XMP" in data and IPTC_MARK in data


def test_an_image_added_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add"),
        {"title": "قصف", "file": SimpleUploadedFile("source.jpg", source_photo(), "image/jpeg")},
    )
    assert response.status_code == 302, response.content[:500]
    assert_original_and_renditions_clean(get_image_model().objects.get(title="قصف"))


def test_images_added_several_at_once(admin_client):
    response = admin_client.post(
        reverse("wagtailimages:add_multiple"),
        {"files[]": SimpleUploadedFile("source.jpg", source_photo(), "image/jpeg")},
    )
    assert response.json()["success"] is True
    assert_original_and_renditions_clean(get_image_model().objects.get(pk=response.json()["image_id"]))


def test_an_image_uploaded_from_the_chooser(admin_client):
    response = admin_client.post(
        reverse("wagtailimages_chooser:create"),
        {
            "image-chooser-upload-title": "من المحرر",
            "image-chooser-upload-file": SimpleUploadedFile("source.jpg", source_photo(), "image/jpeg"),
        },
    )
    assert response.status_code == 200
    assert_original_and_renditions_clean(get_image_model().objects.get(title="من المحرر"))


def test_a_replaced_file_is_cleaned_too(admin_client):
    image = get_image_model().objects.create(
        title="صورة", file=SimpleUploadedFile("plain.jpg", source_photo(orientation=1), "image/jpeg")
    )
    response = admin_client.post(
        reverse("wagtailimages:edit", args=[image.pk]),
        {"title": "صورة", "file": SimpleUploadedFile("again.jpg", source_photo(), "image/jpeg")},
    )
    assert response.status_code == 302, response.content[:500]
    image.refresh_from_db()
    assert image.file.name.startswith("original_images/again")
    assert_original_and_renditions_clean(image)


def test_images_from_a_wordpress_import(home, tmp_path):
    uploads = tmp_path / "uploads"
    (uploads / "2024" / "05").mkdir(parents=True)
    (uploads / "2024" / "05" / "aleppo.jpg").write_bytes(source_photo())
    image = Uploads(uploads).image("https://old.example/wp-content/uploads/2024/05/aleppo.jpg", title="حلب")
    assert_original_and_renditions_clean(image)


def test_png_text_and_exif_are_removed():
    from PIL import PngImagePlugin

    from news.photos import strip_metadata

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Idlib reporter")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    exif = Image.Exif()
    exif[ExifTags.Base.Model] = CAMERA
    output = io.BytesIO()
    Image.new("RGBA", (8, 8), (255, 0, 0, 128)).save(output, format="PNG", pnginfo=info, exif=exif)
    cleaned = strip_metadata(output.getvalue())
    assert_clean(cleaned, "png")
    assert Image.open(io.BytesIO(cleaned)).getpixel((1, 1)) == (255, 0, 0, 128)


def an_image_uploaded_before(name="before.jpg"):
    """An image stored before uploads were cleaned: the file written as it came, no signal on the way."""
    stored_name = default_storage.save(f"original_images/{name}", io.BytesIO(source_photo()))
    image = get_image_model().objects.create(
        title="قديمة", file=SimpleUploadedFile("placeholder.jpg", source_photo(orientation=1), "image/jpeg")
    )
    placeholder = image.file.name
    data = default_storage.open(stored_name).read()
    get_image_model().objects.filter(pk=image.pk).update(
        file=stored_name, width=60, height=30, file_size=len(data), file_hash=hash_filelike(io.BytesIO(data))
    )
    default_storage.delete(placeholder)
    image.refresh_from_db()
    return image


def test_the_cleanup_command_rewrites_old_uploads(capsys):
    image = an_image_uploaded_before()
    old_rendition = image.get_rendition("width-20")
    with old_rendition.file.open("rb") as handle:
        assert CAMERA.encode() in handle.read()  # what readers were given until now
    old_rendition_name = old_rendition.file.name

    call_command("strip_image_metadata", "--dry-run")
    assert "1" in capsys.readouterr().out
    image.refresh_from_db()
    assert CAMERA.encode() in stored(image)
    assert default_storage.exists(old_rendition_name)

    call_command("strip_image_metadata")
    out = capsys.readouterr().out
    assert "1" in out
    image.refresh_from_db()
    assert not default_storage.exists(old_rendition_name)
    assert image.renditions.count() == 0
    assert_original_and_renditions_clean(image)

    call_command("strip_image_metadata")
    assert "0" in capsys.readouterr().out.split("\n")[0]
