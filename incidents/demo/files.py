"""The demo's evidence files, drawn with Pillow so that the same bytes come out on every
run (the second upload of the photo is recognised as the file already held)."""

import io

from django.core.files.base import ContentFile
from PIL import ExifTags, Image, ImageDraw


def demo_photo():
    """Return a stand-in for the photo in the Defence Ministry's tweet: a JPEG drawn with
    Pillow, carrying the camera and GPS EXIF tags a real photo would (the demo shows that
    derivatives drop them). The same bytes on every run."""
    image = Image.new("RGB", (1200, 800), (148, 160, 171))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 560, 1200, 800), fill=(92, 84, 70))  # road
    draw.rectangle((140, 300, 900, 600), fill=(44, 40, 38))  # burnt truck bed
    draw.rectangle((900, 380, 1080, 600), fill=(60, 52, 48))  # cab
    for left in range(180, 860, 135):  # washing machines
        draw.rectangle((left, 330, left + 110, 450), fill=(205, 205, 200))
        draw.ellipse((left + 25, 355, left + 85, 415), fill=(70, 70, 75))
    for centre in (260, 760, 1000):
        draw.ellipse((centre - 55, 555, centre + 55, 665), fill=(20, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS 5D Mark IV"
    exif[ExifTags.Base.Orientation] = 1
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2022:04:01 15:12:40"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (50.0, 31.0, 48.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (30.0, 15.0, 0.0)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, exif=exif)
    return ContentFile(buffer.getvalue(), name="defenceu-1510265447712448514-photo.jpg")


FILES = {"burnt-truck-photo": demo_photo}
