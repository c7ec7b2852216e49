"""Real files for the media tests: photos made by Pillow (one with GPS metadata) and the first
bytes of MP4 and WebM videos."""

import io

from PIL import Image

GPS_IFD = 0x8825
MAKE = 0x010F


def jpeg_bytes(*, size=(64, 48), gps: bool = False, color=(200, 80, 40)) -> bytes:
    """A JPEG; with ``gps``, EXIF that names a camera and a place (Minneapolis)."""
    image = Image.new("RGB", size, color)
    out = io.BytesIO()
    if gps:
        exif = Image.Exif()
        exif[MAKE] = "PhoneCam"
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (44.0, 58.0, 12.5), 3: "W", 4: (93.0, 15.0, 40.1)})
        image.save(out, format="JPEG", exif=exif.tobytes())
    else:
        image.save(out, format="JPEG")
    return out.getvalue()


def png_bytes(*, size=(32, 32), alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", size, (10, 120, 200, 128) if alpha else "blue")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


# An MP4 starts with an ftyp box; a WebM with the EBML magic number. What follows is filler: the
# checks read the first bytes only (decoding is the browser's work).
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01"


def mp4_bytes(size: int = 4096) -> bytes:
    return (MP4_HEAD + bytes(range(256)) * (size // 256 + 1))[:size]


def webm_bytes(size: int = 4096) -> bytes:
    return (WEBM_HEAD + b"webm" * size)[:size]
