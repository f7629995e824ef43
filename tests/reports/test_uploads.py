"""Photos: the type read from the content, size and pixels capped, re-encoded without
metadata, stored under random names outside MEDIA_ROOT."""

from __future__ import annotations

import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from portal.reports.models import ConsumerReport, ReportPhoto
from portal.reports.storage import private_storage

from .factories import GPS_IFD, photo_bytes

pytestmark = pytest.mark.django_db

NEW = "/reports/new/"


def upload(content: bytes, name="IMG_0001.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type)


def send(client, report_data, *photos):
    return client.post(NEW, {**report_data(), "photos": list(photos)})


def stored_image(photo: ReportPhoto) -> tuple[bytes, Image.Image]:
    with photo.file.open("rb") as handle:
        content = handle.read()
    return content, Image.open(io.BytesIO(content))


def test_gps_and_camera_data_are_gone_from_a_stored_jpeg(client, report_data, private_root):
    original = photo_bytes(gps=True)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test has GPS
    assert send(client, report_data, upload(original)).status_code == 303
    photo = ReportPhoto.objects.get()
    content, image = stored_image(photo)
    assert image.format == "JPEG" and photo.content_type == "image/jpeg"
    assert not image.getexif()
    assert b"Exif" not in content and b"TestCam" not in content
    assert (photo.width, photo.height) == (640, 480)
    assert re.fullmatch(r"photos/[0-9a-f]{32}\.jpg", photo.file.name)
    path = private_root / photo.file.name
    assert path.is_file()
    assert not str(path).startswith(str(settings.MEDIA_ROOT))


def test_png_text_chunks_are_dropped_and_transparency_kept(client, report_data):
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "家庭住址：闵行区某路88号")
    original = photo_bytes("PNG", mode="RGBA", pnginfo=info)
    send(client, report_data, upload(original, "截图.png", "image/png"))
    content, image = stored_image(ReportPhoto.objects.get())
    assert image.format == "PNG" and image.mode == "RGBA"
    assert "家庭住址".encode() not in content and not image.text


def test_webp_is_accepted_and_stored_as_a_fresh_jpeg(client, report_data):
    send(client, report_data, upload(photo_bytes("WEBP"), "photo.webp", "image/webp"))
    assert ReportPhoto.objects.get().content_type == "image/jpeg"


def test_a_large_photo_is_scaled_down(client, report_data):
    send(client, report_data, upload(photo_bytes(size=(4000, 3000))))
    photo = ReportPhoto.objects.get()
    assert (photo.width, photo.height) == (2560, 1920)


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (photo_bytes("GIF"), "photo.jpg"),  # a real image in a format not accepted
        (photo_bytes("BMP"), "photo.png"),
        (b"<html><script>alert(1)</script></html>", "photo.jpg"),
        (photo_bytes()[:300], "truncated.jpg"),
        (b"", "empty.jpg"),
    ],
)
def test_files_that_are_not_accepted_photos_are_refused(client, report_data, content, name):
    response = send(client, report_data, upload(content, name))
    assert response.status_code == 200
    html = response.content.decode()
    assert (f"{name} 不是 JPEG、PNG 或 WebP 格式的照片" in html) or ("提交的是空文件。" in html)
    assert ConsumerReport.objects.count() == 0
    assert not private_storage.exists("photos") or not private_storage.listdir("photos")[1]


def test_a_photo_above_the_size_limit_is_refused(client, report_data, settings):
    settings.REPORTS_PHOTO_MAX_BYTES = 2 * 1024 * 1024
    big = photo_bytes(size=(3000, 3000), quality=100) + b"\0" * (2 * 1024 * 1024)
    response = send(client, report_data, upload(big, "big.jpg"))
    assert "big.jpg 超过 2 MB。" in response.content.decode()
    assert ConsumerReport.objects.count() == 0


def test_a_decompression_bomb_is_refused_before_decoding(client, report_data):
    bomb = photo_bytes("PNG", size=(8000, 6000), mode="1")  # 48 million pixels in a few KB
    assert len(bomb) < 100_000
    response = send(client, report_data, upload(bomb, "bomb.png", "image/png"))
    assert "bomb.png 像素过多（最多 40 百万像素）。" in response.content.decode()
    assert ConsumerReport.objects.count() == 0


def test_more_than_three_photos_are_refused(client, report_data):
    photos = [upload(photo_bytes(), f"{n}.jpg") for n in range(4)]
    response = send(client, report_data, *photos)
    assert "最多上传 3 张照片。" in response.content.decode()
    assert ConsumerReport.objects.count() == 0


def test_photos_have_no_public_url():
    with pytest.raises(ValueError):
        private_storage.url("photos/x.jpg")


def test_deleting_a_report_deletes_its_photo_files(client, report_data, private_root):
    send(client, report_data, upload(photo_bytes()), upload(photo_bytes("PNG"), "b.png"))
    names = [p.file.name for p in ReportPhoto.objects.all()]
    assert len(names) == 2 and all((private_root / n).is_file() for n in names)
    ConsumerReport.objects.get().delete()
    assert not any((private_root / n).exists() for n in names)
