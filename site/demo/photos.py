"""Portraits for the demo people, drawn at load time with Pillow.

Every demo person is fictional, so their "photos" are plainly illustrations:
a faceless silhouette on a coloured, patterned background. Nothing here
resembles a real photograph of anyone. Each becomes a Wagtail image (in a
collection of its own) with alternative text in Japanese and English, and
its card and profile renditions are made straight away so the first visitor
does not wait for them.
"""

import hashlib
import io

from django.core.files.images import ImageFile
from people.models import CARD_PHOTO, PROFILE_PHOTO
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images.models import Image
from wagtail.models import Collection

COLLECTION_NAME = "デモ画像 / Demo images"
# The sizes the people pages show.
RENDITIONS = (CARD_PHOTO, PROFILE_PHOTO)
SIZE = 480
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without anti-aliasing support

# (background, pattern, clothing) per role: CMs in blues and violets, researchers in greens and ambers.
PALETTES = {
    "general_cm": [("#dbe6f5", "#c6d6ee", "#1f3b6b"), ("#e0e4f7", "#cbd1f0", "#2c3570")],
    "project_cm": [("#dcecf2", "#c4dfe9", "#1d4e63"), ("#e2e9f5", "#ccd9ee", "#34507a")],
    "ip_cm": [("#e8e0f3", "#d7cbea", "#4a2f6e")],
    "legal_cm": [("#e4e6ea", "#d1d5dc", "#2f3744")],
    "finance_cm": [("#f3ead9", "#e9dbc0", "#5a4420")],
    "hr_cm": [("#f4e2e4", "#ebccd0", "#6b2a35")],
    "researcher": [
        ("#dff0e6", "#c7e5d2", "#1f5a3a"),
        ("#f4efd9", "#eadfb8", "#5e4d16"),
        ("#e0eff0", "#c8e3e5", "#1e5356"),
        ("#efe6db", "#e2d3bf", "#56402a"),
    ],
}
SKIN = ["#c9b8a8", "#b9a597", "#d2c1b0", "#a89484"]  # muted, flat, deliberately not lifelike
HAIR = ["#3a3330", "#54463d", "#6b6b6b", "#2d2a35"]


def _pick(options: list, digest: bytes, index: int):
    return options[digest[index] % len(options)]


def portrait_png(*, key: str, role: str) -> bytes:
    """A stylised, faceless silhouette; the same key always gives the same picture."""
    digest = hashlib.sha256(key.encode()).digest()
    background, pattern, clothing = _pick(PALETTES.get(role, PALETTES["researcher"]), digest, 0)
    skin, hair = _pick(SKIN, digest, 1), _pick(HAIR, digest, 2)
    s = SIZE * SCALE
    picture = PILImage.new("RGB", (s, s), background)
    draw = ImageDraw.Draw(picture)
    # Background pattern: concentric rings or diagonal stripes.
    if digest[3] % 2:
        for r in range(s // 8, s * 3 // 2, s // 10):
            draw.ellipse((s - r, -r, s + r, r), outline=pattern, width=s // 60)
    else:
        for x in range(-s, s * 2, s // 8):
            draw.line((x, s, x + s, 0), fill=pattern, width=s // 40)
    cx = s // 2
    # Shoulders and body: a wide rounded shape cut by the bottom edge.
    draw.rounded_rectangle((cx - s * 0.36, s * 0.70, cx + s * 0.36, s * 1.25), radius=s * 0.2, fill=clothing)
    # Collar: a light V that reads as a shirt.
    draw.polygon([(cx - s * 0.09, s * 0.70), (cx + s * 0.09, s * 0.70), (cx, s * 0.82)], fill="#f5f5f2")
    # Neck and head: plain shapes, no face.
    draw.rectangle((cx - s * 0.06, s * 0.58, cx + s * 0.06, s * 0.72), fill=skin)
    head = (cx - s * 0.15, s * 0.24, cx + s * 0.15, s * 0.62)
    hair_box = (head[0] - s * 0.015, head[1] - s * 0.025, head[2] + s * 0.015, head[3] - s * 0.03)
    style = digest[4] % 3
    if style == 0:  # long: falls behind the shoulders
        draw.rounded_rectangle((cx - s * 0.18, s * 0.30, cx + s * 0.18, s * 0.76), radius=s * 0.12, fill=hair)
    if style != 2:  # short or long: a cap over the head
        draw.ellipse(hair_box, fill=hair)
    else:  # very short: a thin cap
        draw.ellipse((head[0], head[1] - s * 0.012, head[2], head[3] - s * 0.08), fill=hair)
    # The face: a plain shape below the hairline, with no features at all.
    top = head[1] + (s * 0.05 if style != 2 else s * 0.025)
    draw.ellipse((head[0] + s * 0.008, top, head[2] - s * 0.008, head[3]), fill=skin)
    picture = picture.resize((SIZE, SIZE), PILImage.Resampling.LANCZOS)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def demo_collection() -> Collection:
    # A flushed database (transactional tests) has lost the root Wagtail's migrations made.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    found = root.get_children().filter(name=COLLECTION_NAME).first()
    return found or root.add_child(name=COLLECTION_NAME)


def ensure_portraits(people) -> int:
    """Give each of `people` without a photo a generated portrait; returns how many were made.

    People who already have a photo (a generated one from an earlier run, or
    a real one staff uploaded) are left alone, so a second run adds nothing.
    """
    collection = None
    made = 0
    for person in people:
        if person.photo_id:
            continue
        collection = collection or demo_collection()
        png = portrait_png(key=person.slug, role=person.role)
        image = Image(
            title=f"{person.name_ja}（イラスト） / {person.name_romaji} (illustration)",
            description=f"{person.name_ja}の肖像イラスト（架空の人物）",
            collection=collection,
            file=ImageFile(io.BytesIO(png), name=f"demo-portrait-{person.slug}.png"),
        )
        image.full_clean()
        image.save()
        image.get_renditions(*RENDITIONS)
        person.photo = image
        person.photo_alt = f"{person.name_ja}の肖像イラスト（架空の人物）"
        person.photo_alt_en = f"Illustrated portrait of {person.name_romaji} (a fictional person)"
        person.full_clean()
        person.save(update_fields=["photo", "photo_alt", "photo_alt_en"])
        made += 1
    return made
