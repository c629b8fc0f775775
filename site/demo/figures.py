"""Figures for the demo seeds' bodies, drawn at load time with Pillow.

The seeds are fictional, so their figures are plainly schematic: a bar chart,
a line chart or a process diagram with no text, no faces and no real data.
One Wagtail image serves both translations of a seed; each translation's
"image with caption" block carries its own caption and alternative text. The
rendition the seed page shows is made straight away so the first visitor does
not wait for it.
"""

import hashlib
import io
from dataclasses import dataclass

from django.core.files.images import ImageFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image

from .photos import demo_collection

# The filter of seeds/blocks/captioned_image.html; kept in step with that template.
FIGURE_RENDITION = "max-960x640"
WIDTH, HEIGHT = 960, 600
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without anti-aliasing support

INK = "#2f3744"
GRID = "#d1d5dc"
PAPER = "#fbfbf9"
# (ours, theirs) per chart: the technology in a strong colour, the conventional method muted.
PALETTES = [("#1f5a8a", "#9fb3c8"), ("#1f6b4a", "#a9c7b5"), ("#6b3f8a", "#c1b1cf"), ("#8a5a1f", "#d1bf9f")]


@dataclass(frozen=True)
class FigureText:
    caption_ja: str
    caption_en: str
    alt_ja: str
    alt_en: str


KINDS = ("bars", "lines", "process")


def figure_kind(key: str) -> str:
    return KINDS[hashlib.sha256(key.encode()).digest()[0] % len(KINDS)]


def figure_text(*, kind: str, title_ja: str, title_en: str) -> FigureText:
    """Caption and alternative text in both languages; the alt says what the figure shows."""
    if kind == "bars":
        return FigureText(
            caption_ja=f"図1 {title_ja}と従来法の性能比較（デモ用の架空のデータ）",
            caption_en=f"Figure 1. {title_en}: performance against the conventional method (fictional demo data)",
            alt_ja="棒グラフ。4つの評価項目すべてで、本技術の棒が従来法の棒より高い。",
            alt_en="Bar chart: on all four measures the bar for this technology is taller than the conventional method's.",
        )
    if kind == "lines":
        return FigureText(
            caption_ja=f"図1 {title_ja}の試作における特性の推移（デモ用の架空のデータ）",
            caption_en=f"Figure 1. {title_en}: how the prototype improved over successive trials (fictional demo data)",
            alt_ja="折れ線グラフ。試行を重ねるごとに本技術の線は上昇し、従来法の線はほぼ横ばい。",
            alt_en="Line chart: over the trials the line for this technology rises while the conventional method stays flat.",
        )
    return FigureText(
        caption_ja=f"図1 {title_ja}の処理の流れ（模式図）",
        caption_en=f"Figure 1. {title_en}: the process in outline (schematic)",
        alt_ja="模式図。4つの工程を表す箱が左から右へ矢印でつながり、3つ目の工程が本技術として強調されている。",
        alt_en="Schematic: four process steps as boxes joined left to right by arrows; the third step, this technology, is highlighted.",
    )


def _axes(draw: ImageDraw.ImageDraw, box: tuple[int, int, int, int], s: int) -> None:
    left, top, right, bottom = box
    for i in range(1, 5):
        y = bottom - (bottom - top) * i // 5
        draw.line((left, y, right, y), fill=GRID, width=s)
    draw.line((left, top, left, bottom), fill=INK, width=2 * s)
    draw.line((left, bottom, right, bottom), fill=INK, width=2 * s)


def figure_png(*, key: str, kind: str) -> bytes:
    """A schematic figure without text; the same key and kind always give the same picture."""
    digest = hashlib.sha256(key.encode()).digest()
    ours, theirs = PALETTES[digest[1] % len(PALETTES)]
    s = SCALE
    w, h = WIDTH * s, HEIGHT * s
    picture = PILImage.new("RGB", (w, h), PAPER)
    draw = ImageDraw.Draw(picture)
    box = (int(w * 0.1), int(h * 0.1), int(w * 0.94), int(h * 0.86))
    left, top, right, bottom = box
    span = bottom - top
    if kind == "bars":
        _axes(draw, box, s)
        groups = 4
        slot = (right - left) // groups
        bar = slot // 4
        for g in range(groups):
            base = 0.25 + (digest[2 + g] % 20) / 100  # the conventional method: 25–44 %
            gain = 0.25 + (digest[6 + g] % 30) / 100  # this technology: 25–54 % above it
            x = left + g * slot + slot // 2
            for offset, height, colour in ((-bar, base, theirs), (0, min(base + gain, 0.95), ours)):
                draw.rectangle((x + offset, bottom - int(span * height), x + offset + bar - 2 * s, bottom), fill=colour)
    elif kind == "lines":
        _axes(draw, box, s)
        steps = 8
        dx = (right - left) // (steps - 1)
        start = 0.15 + (digest[2] % 10) / 100
        rise = 0.5 + (digest[3] % 25) / 100
        ours_points, theirs_points = [], []
        for i in range(steps):
            t = i / (steps - 1)
            wobble = ((digest[4 + i] % 7) - 3) / 100
            ours_points.append((left + i * dx, bottom - int(span * (start + rise * t * (2 - t) + wobble))))
            theirs_points.append((left + i * dx, bottom - int(span * (start + 0.05 + wobble / 2))))
        for points, colour in ((theirs_points, theirs), (ours_points, ours)):
            draw.line(points, fill=colour, width=5 * s, joint="curve")
            for x, y in points:
                draw.ellipse((x - 7 * s, y - 7 * s, x + 7 * s, y + 7 * s), fill=colour)
    else:
        steps = 4
        gap = w // 20
        bw = (w - gap * (steps + 1)) // steps
        bh = h // 3
        y0 = (h - bh) // 2
        highlighted = 2
        for i in range(steps):
            x0 = gap + i * (bw + gap)
            fill = ours if i == highlighted else "#eef0f3"
            draw.rounded_rectangle((x0, y0, x0 + bw, y0 + bh), radius=bh // 6, fill=fill, outline=INK, width=2 * s)
            # Placeholder lines where a real figure would have a label.
            line_colour = "#ffffff" if i == highlighted else theirs
            for j in range(2 + digest[2 + i] % 2):
                ly = y0 + bh // 4 + j * bh // 5
                draw.line((x0 + bw // 6, ly, x0 + bw * (4 + j % 2) // 6, ly), fill=line_colour, width=6 * s)
            if i < steps - 1:
                ax0, ax1, ay = x0 + bw + gap // 6, x0 + bw + gap * 5 // 6, y0 + bh // 2
                draw.line((ax0, ay, ax1 - 10 * s, ay), fill=INK, width=4 * s)
                draw.polygon([(ax1, ay), (ax1 - 14 * s, ay - 9 * s), (ax1 - 14 * s, ay + 9 * s)], fill=INK)
    picture = picture.resize((WIDTH, HEIGHT), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG", optimize=True)
    return out.getvalue()


def ensure_seed_figure(*, key: str, kind: str, title_ja: str, title_en: str) -> Image:
    """The seed's figure image, made (with its rendition) on the first run only."""
    title = f"{title_ja}（図） / {title_en} (figure)"
    file_name = f"demo-figure-{key}.png"
    collection = demo_collection()
    image = Image.objects.filter(collection=collection, title=title).first()
    if image is None:
        image = Image(
            title=title,
            description=figure_text(kind=kind, title_ja=title_ja, title_en=title_en).alt_ja,
            collection=collection,
            file=ImageFile(io.BytesIO(figure_png(key=key, kind=kind)), name=file_name),
        )
        image.full_clean()
        image.save()
    image.get_rendition(FIGURE_RENDITION)
    return image
