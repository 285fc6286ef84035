"""Photos are size-capped, decoded with a pixel limit and re-encoded as JPEG without any metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from lib.photos import clean_photo


def jpeg_with_gps(size=(640, 480), orientation=None) -> bytes:
    image = Image.new("RGB", size, (30, 120, 200))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.Model] = "Model X"
    exif[ExifTags.Base.Artist] = "Aigerim Saparova"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (49.0, 54.0, 10.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (57.0, 20.0, 5.0),
    }
    output = io.BytesIO()
    image.save(output, format="JPEG", exif=exif, comment=b"secret comment")
    return output.getvalue()


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def assert_no_metadata(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG"
    exif = image.getexif()
    assert len(exif) == 0
    assert exif.get_ifd(ExifTags.IFD.GPSInfo) == {}
    assert "exif" not in image.info
    assert "icc_profile" not in image.info
    assert "comment" not in image.info
    assert not any(key.lower().startswith("xmp") for key in image.info)
    assert b"Exif" not in data[:4096]
    assert b"PhoneCo" not in data
    return image


def test_it_removes_gps_exif_from_a_jpeg():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the test photo has GPS

    cleaned = clean_photo(upload(original))

    data = cleaned.read()
    image = assert_no_metadata(data)
    assert image.size == (640, 480)
    assert cleaned.name.endswith(".jpg") and "photo" not in cleaned.name


def test_it_turns_the_photo_upright_by_its_exif_orientation():
    cleaned = clean_photo(upload(jpeg_with_gps(size=(400, 300), orientation=6)))
    image = assert_no_metadata(cleaned.read())
    assert image.size == (300, 400)


def test_it_gives_every_photo_a_random_name():
    content = jpeg_with_gps()
    assert clean_photo(upload(content)).name != clean_photo(upload(content)).name


def test_it_accepts_a_png_with_transparency():
    image = Image.new("RGBA", (200, 100), (255, 0, 0, 0))
    output = io.BytesIO()
    image.save(output, format="PNG")

    cleaned = clean_photo(upload(output.getvalue(), "screenshot.png", "image/png"))

    result = assert_no_metadata(cleaned.read())
    assert result.size == (200, 100)
    assert result.getpixel((10, 10)) == pytest.approx((255, 255, 255), abs=2)  # transparency on white


def test_it_accepts_a_heic_photo():
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    output = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 200, 10)).save(output, format="HEIF")

    cleaned = clean_photo(upload(output.getvalue(), "IMG_0001.HEIC", "image/heic"))

    assert assert_no_metadata(cleaned.read()).size == (320, 240)


def test_it_shrinks_a_large_photo_to_the_maximum_side():
    output = io.BytesIO()
    Image.new("RGB", (5000, 1000), (0, 0, 0)).save(output, format="JPEG", quality=50)
    cleaned = clean_photo(upload(output.getvalue()))
    assert max(Image.open(cleaned).size) == 2560


def test_it_refuses_a_text_file_renamed_to_jpg():
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(b"This is not a photo at all, just some text.\n" * 10, "evil.jpg"))
    assert error.value.code == "not_an_image"
    assert "JPEG, PNG or HEIC" in error.value.messages[0]


def test_it_refuses_a_truncated_jpeg():
    content = jpeg_with_gps()
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(content[: len(content) // 3]))
    assert error.value.code == "not_an_image"


def test_it_refuses_other_image_formats():
    output = io.BytesIO()
    Image.new("RGB", (10, 10)).save(output, format="GIF")
    with pytest.raises(ValidationError):
        clean_photo(upload(output.getvalue(), "anim.gif", "image/gif"))


def test_it_refuses_an_oversized_file(settings):
    settings.REPORT_PHOTO_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(jpeg_with_gps()))
    assert error.value.code == "too_large"


def test_it_refuses_an_empty_file():
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(b""))
    assert error.value.code == "empty"


def test_it_refuses_too_many_pixels_without_decoding_them(settings):
    settings.REPORT_PHOTO_MAX_PIXELS = 10_000
    output = io.BytesIO()
    Image.new("RGB", (200, 200)).save(output, format="PNG")
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(output.getvalue(), "big.png", "image/png"))
    assert error.value.code == "too_many_pixels"


def test_it_refuses_a_decompression_bomb():
    # A tiny PNG that claims 30,000 × 30,000 pixels (900 million): refused, never decoded.
    output = io.BytesIO()
    Image.new("1", (30_000, 30_000)).save(output, format="PNG")
    content = output.getvalue()
    assert len(content) < 1_000_000
    with pytest.raises(ValidationError) as error:
        clean_photo(upload(content, "bomb.png", "image/png"))
    assert error.value.code == "too_many_pixels"


def test_it_still_refuses_a_truncated_jpeg_after_a_pdf_letter_was_written():
    # WeasyPrint, imported to write letters, turns on Pillow's acceptance of truncated images.
    from lib.letters import weasyprint

    weasyprint()
    test_it_refuses_a_truncated_jpeg()
