"""The demo's photos of drug graffiti: a wall with a drug shop's writing (with the report) and the
same wall painted over (with the body's answer), drawn with Pillow as small JPEGs and saved once
through the storage of real report photos (ReportPhoto.image's), under fixed names: the demo's rows
share a few pictures, so thousands of reports cost a handful of files and a second run none.
"""

from __future__ import annotations

import random
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from signals.models import ReportPhoto

WIDTH, HEIGHT = 320, 240
VARIANTS = 6
WALLS = ((196, 182, 160), (170, 170, 176), (210, 200, 186), (150, 120, 100), (188, 196, 200), (226, 214, 190))
WRITINGS = ("СОЛЬ 24/7", "МЕФ @shop", "t.me/kladx", "ALFA PVP", "@snow_akt", "ЗАКЛАДКИ")


def _drawn(variant: int, painted_over: bool) -> bytes:
    rng = random.Random(variant)
    wall = WALLS[variant % len(WALLS)]
    image = Image.new("RGB", (WIDTH, HEIGHT), wall)
    draw = ImageDraw.Draw(image)
    for row in range(0, HEIGHT, 24):  # the bricks
        offset = 0 if row // 24 % 2 else 30
        for column in range(-offset, WIDTH, 60):
            draw.rectangle((column, row, column + 58, row + 22), outline=tuple(max(c - 25, 0) for c in wall))
    box = (40 + rng.randrange(30), 70 + rng.randrange(40))
    if painted_over:
        # A patch of fresh paint where the writing was.
        patch = tuple(min(c + 18, 255) for c in wall)
        draw.rectangle((box[0] - 12, box[1] - 12, box[0] + 230, box[1] + 60), fill=patch)
    else:
        colour = ((20, 20, 20), (160, 20, 30), (20, 60, 160))[variant % 3]
        writing = WRITINGS[variant % len(WRITINGS)]
        for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):  # a thick stroke, as sprayed
            draw.text((box[0] + dx, box[1] + dy), writing, fill=colour, font_size=30)
    output = BytesIO()
    image.save(output, format="JPEG", quality=70)
    return output.getvalue()


def demo_photo(variant: int, *, painted_over: bool) -> str:
    """The stored name of a demo graffiti photo (drawn and saved the first time it is asked for)."""
    variant %= VARIANTS
    storage = ReportPhoto._meta.get_field("image").storage
    name = f"reports/demo/graffiti-{'painted-over' if painted_over else 'reported'}-{variant + 1}.jpg"
    if storage.exists(name):
        return name
    return storage.save(name, ContentFile(_drawn(variant, painted_over)))


def demo_photo_row(report, variant: int, *, answer=None) -> ReportPhoto:
    """An unsaved photo row of the report (the answer's "painted over" picture when `answer` is given)."""
    return ReportPhoto(
        report=report,
        answer=answer,
        source=ReportPhoto.Source.ANSWER if answer is not None else ReportPhoto.Source.INTAKE,
        image=demo_photo(variant, painted_over=answer is not None),
        width=WIDTH,
        height=HEIGHT,
    )
