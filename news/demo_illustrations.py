"""Illustrations for the demo newsroom, drawn with Pillow when the demo is loaded.

No picture ships with the project: each story's image and each author's
portrait is drawn from a motif, a palette and a seed, so the same story always
gets the same picture. They are illustrations, and the demo credits them as such.
"""

import io
import itertools
import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 900
PORTRAIT_SIZE = 600

# Per section: sky top, sky bottom, far, middle, near, accent, light.
PALETTES = {
    "syria": ("#f3c98b", "#e07a4f", "#b5654a", "#7d4434", "#3f2624", "#fff1c9", "#fbe7c6"),
    "region": ("#f6d7a7", "#c96f53", "#a35a48", "#6e3b3b", "#2f2023", "#ffe3a3", "#f8ead8"),
    "world": ("#9cc3e6", "#2f5d8a", "#3f6e9a", "#274a6e", "#14273d", "#ffd37a", "#e4eef8"),
    "economy": ("#bfe3d0", "#2f7f6f", "#4f9a86", "#2c6a5c", "#173d36", "#f2c14e", "#e8f5ee"),
    "sports": ("#cde9a8", "#3f8f3a", "#5aa447", "#2f7a34", "#1d4d22", "#ffffff", "#eef7e3"),
    "technology": ("#2b2f6b", "#0e1030", "#3b4aa8", "#2a3580", "#151a45", "#5ee0d6", "#c9d2ff"),
    "culture": ("#f1c6b5", "#8c2f4a", "#a8475f", "#6d2238", "#3a1020", "#f4c95d", "#fbe9e4"),
    "opinion": ("#e9e4da", "#6b6156", "#8a7f70", "#5a5148", "#2e2a26", "#d9923b", "#f7f3ec"),
}
SKIN_TONES = ["#f1c9a5", "#e0ac85", "#c68a62", "#a86d4a", "#8a5536"]
HAIR_COLOURS = ["#1f1a17", "#3b2a20", "#5a3b26", "#6b6159", "#b9b1a7"]


def illustration(*, motif: str, palette: str, seed: str) -> bytes:
    """A 1600×900 JPEG of `motif` in the colours of `palette`, the same for the same seed."""
    colours = PALETTES[palette]
    rng = random.Random(f"{motif}:{palette}:{seed}")  # noqa: S311 - a repeatable drawing, not a secret
    image = _gradient(colours[0], colours[1])
    MOTIFS[motif](image, colours, rng)
    return _jpeg(image)


def portrait(*, palette: str, seed: str, hair: str = "short", glasses: bool = False, beard: bool = False) -> bytes:
    """A square stylised portrait (head and shoulders, no features), drawn at twice the size and reduced."""
    colours = PALETTES[palette]
    rng = random.Random(f"portrait:{seed}")  # noqa: S311 - a repeatable drawing, not a secret
    size = PORTRAIT_SIZE * 2
    image = _gradient(colours[6], colours[0], size=(size, size))
    draw = ImageDraw.Draw(image)
    skin = rng.choice(SKIN_TONES)
    hair_colour = rng.choice(HAIR_COLOURS[:4] if hair != "grey" else HAIR_COLOURS[3:])
    cloth = colours[rng.choice([2, 3, 4])]
    cx, head_y, head_r = size // 2, int(size * 0.40), int(size * 0.17)
    if hair == "long":
        draw.rounded_rectangle(
            (cx - head_r * 1.25, head_y - head_r * 1.1, cx + head_r * 1.25, head_y + head_r * 2.1),
            radius=head_r,
            fill=hair_colour,
        )
    if hair == "scarf":
        draw.ellipse(
            (cx - head_r * 1.45, head_y - head_r * 1.35, cx + head_r * 1.45, head_y + head_r * 1.7), fill=cloth
        )
        draw.rectangle((cx - head_r * 1.45, head_y, cx + head_r * 1.45, head_y + head_r * 2.2), fill=cloth)
    # Shoulders, neck, head.
    draw.ellipse((cx - size * 0.36, size * 0.70, cx + size * 0.36, size * 1.25), fill=cloth)
    draw.rectangle((cx - head_r * 0.42, head_y + head_r * 0.6, cx + head_r * 0.42, size * 0.74), fill=skin)
    if hair == "scarf":
        draw.ellipse((cx - head_r * 0.95, head_y - head_r * 1.0, cx + head_r * 0.95, head_y + head_r * 1.1), fill=skin)
        draw.chord(
            (cx - head_r * 1.2, head_y - head_r * 1.3, cx + head_r * 1.2, head_y + head_r * 0.5),
            180,
            360,
            fill=cloth,
        )
    else:
        draw.ellipse((cx - head_r, head_y - head_r * 1.12, cx + head_r, head_y + head_r * 1.12), fill=skin)
        top = (cx - head_r * 1.05, head_y - head_r * 1.25, cx + head_r * 1.05, head_y + head_r * 0.35)
        if hair in ("short", "long", "grey"):
            draw.chord(top, 180, 360, fill=hair_colour)
        elif hair == "receding":
            draw.chord(top, 200, 340, fill=hair_colour)
    if beard:
        draw.chord(
            (cx - head_r * 0.98, head_y - head_r * 0.2, cx + head_r * 0.98, head_y + head_r * 1.14),
            10,
            170,
            fill=hair_colour,
        )
    if glasses:
        line = max(6, size // 120)
        for side in (-1, 1):
            gx = cx + side * head_r * 0.42
            draw.ellipse(
                (gx - head_r * 0.3, head_y - head_r * 0.1, gx + head_r * 0.3, head_y + head_r * 0.42),
                outline="#2b2b2b",
                width=line,
            )
        draw.line(
            (cx - head_r * 0.12, head_y + head_r * 0.1, cx + head_r * 0.12, head_y + head_r * 0.1), "#2b2b2b", line
        )
    # A collar line on the shoulders.
    draw.arc(
        (cx - head_r * 0.9, size * 0.64, cx + head_r * 0.9, size * 0.86), 20, 160, fill=colours[6], width=size // 90
    )
    return _jpeg(image.reduce(2))


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.convert("RGB").save(out, "JPEG", quality=86)
    return out.getvalue()


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a: str, b: str, share: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * share) for x, y in zip(_rgb(a), _rgb(b), strict=True))


def _gradient(top: str, bottom: str, *, size=(WIDTH, HEIGHT)) -> Image.Image:
    mask = Image.linear_gradient("L").resize(size)
    return Image.composite(Image.new("RGB", size, bottom), Image.new("RGB", size, top), mask)


def _glow(image, centre, radius, colour, strength=70):
    """A soft disc of light (a sun, a lamp) blended into the image."""
    layer = Image.new("L", image.size, 0)
    ImageDraw.Draw(layer).ellipse(
        (centre[0] - radius * 2.2, centre[1] - radius * 2.2, centre[0] + radius * 2.2, centre[1] + radius * 2.2),
        fill=strength,
    )
    layer = layer.resize((image.width // 8, image.height // 8)).filter(ImageFilter.GaussianBlur(radius / 10))
    image.paste(Image.new("RGB", image.size, colour), mask=layer.resize(image.size))
    ImageDraw.Draw(image).ellipse(
        (centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius), fill=colour
    )


def _ridge(rng, *, base, roughness, points=9):
    """Heights along the width by midpoint displacement: a hill line."""
    heights = [base + rng.uniform(-roughness, roughness) for _ in range(2)]
    spread = roughness
    while len(heights) < points * 4:
        spread *= 0.55
        refined = []
        for left, right in itertools.pairwise(heights):
            refined += [left, (left + right) / 2 + rng.uniform(-spread, spread)]
        heights = refined + [heights[-1]]
    step = WIDTH / (len(heights) - 1)
    return [(round(i * step), round(h)) for i, h in enumerate(heights)]


def _city(image, colours, rng):
    draw = ImageDraw.Draw(image)
    _glow(image, (rng.randint(250, 1350), rng.randint(220, 380)), rng.randint(60, 95), colours[5])
    for layer, colour in enumerate(colours[2:5]):
        x = -rng.randint(0, 60)
        ground = HEIGHT - 120 + layer * 40
        while x < WIDTH:
            width = rng.randint(60, 150)
            height = rng.randint(120, 300) - layer * 50 + (120 if layer == 0 else 0)
            top = ground - height
            draw.rectangle((x, top, x + width, HEIGHT), fill=colour)
            kind = rng.random()
            if kind < 0.22:  # a dome
                draw.chord((x + 6, top - width * 0.55, x + width - 6, top + width * 0.55), 180, 360, fill=colour)
            elif kind < 0.34:  # a minaret beside the building
                mx = x + width - 18
                draw.rectangle((mx, top - 170, mx + 16, top), fill=colour)
                draw.rectangle((mx - 6, top - 120, mx + 22, top - 108), fill=colour)
                draw.polygon([(mx - 2, top - 170), (mx + 18, top - 170), (mx + 8, top - 215)], fill=colour)
            if layer == 2:
                for wy in range(top + 24, HEIGHT - 30, 46):
                    for wx in range(x + 14, x + width - 22, 34):
                        if rng.random() < 0.35:
                            draw.rectangle((wx, wy, wx + 14, wy + 20), fill=colours[5])
            x += width + rng.randint(-10, 18)


def _hills(image, colours, rng):
    draw = ImageDraw.Draw(image)
    _glow(image, (rng.randint(200, 1400), rng.randint(180, 320)), rng.randint(55, 85), colours[5])
    for layer, colour in enumerate(colours[2:5]):
        ridge = _ridge(rng, base=430 + layer * 150, roughness=110 - layer * 25)
        draw.polygon([*ridge, (WIDTH, HEIGHT), (0, HEIGHT)], fill=colour)
        if layer == 1:  # a grove of olive trees on the middle ridge
            leaves = _mix(colours[3], "#7a8f4a", 0.55)
            for x, y in ridge[1:-1:2]:
                if rng.random() < 0.6:
                    size = rng.randint(22, 36)
                    draw.rectangle((x - 4, y - size, x + 4, y + 10), fill=colours[4])
                    for _ in range(6):
                        ox, oy = rng.randint(-size, size), rng.randint(-size, size // 3)
                        draw.ellipse(
                            (x + ox - size * 0.7, y - size * 1.4 + oy, x + ox + size * 0.7, y - size * 0.5 + oy),
                            fill=leaves,
                        )


def _sea(image, colours, rng):
    draw = ImageDraw.Draw(image)
    horizon = rng.randint(430, 520)
    _glow(image, (rng.randint(300, 1300), horizon - rng.randint(90, 180)), rng.randint(50, 80), colours[5])
    sea = _gradient(colours[2], colours[4], size=(WIDTH, HEIGHT - horizon))
    image.paste(sea, (0, horizon))
    for row in range(24):
        y = horizon + 14 + row * row * 0.8 + row * 6
        for _ in range(4 + row // 2):
            x = rng.randint(-40, WIDTH)
            span = 30 + row * 6
            draw.arc((x, y, x + span, y + span * 0.35), 200, 340, fill=colours[6], width=2 + row // 6)
    bx, by = rng.randint(300, 1200), horizon + rng.randint(60, 140)
    draw.polygon([(bx, by), (bx + 180, by), (bx + 150, by + 36), (bx + 26, by + 36)], fill=colours[4])
    draw.polygon([(bx + 90, by - 4), (bx + 90, by - 150), (bx + 170, by - 10)], fill=colours[6])
    for _ in range(rng.randint(3, 6)):
        x, y, w = rng.randint(100, 1500), rng.randint(80, horizon - 150), rng.randint(14, 26)
        draw.line([(x - w, y - w // 2), (x, y), (x + w, y - w // 2)], fill=colours[4], width=4)


def _stars(image, colours, rng):
    """An eight-pointed star tiling, as in Damascene woodwork."""
    draw = ImageDraw.Draw(image)
    cell = rng.choice([150, 180, 200])
    tones = [colours[2], colours[3], colours[4]]
    for row in range(-1, HEIGHT // cell + 2):
        for column in range(-1, WIDTH // cell + 2):
            cx, cy = column * cell + (cell // 2 if row % 2 else 0), row * cell
            radius = cell * 0.46
            for rotation in (0, 45):
                corners = [
                    (
                        cx + radius * math.cos(math.radians(a + rotation)),
                        cy + radius * math.sin(math.radians(a + rotation)),
                    )
                    for a in (45, 135, 225, 315)
                ]
                draw.polygon(corners, fill=tones[(row + column) % 3])
            draw.ellipse(
                (cx - radius * 0.42, cy - radius * 0.42, cx + radius * 0.42, cy + radius * 0.42), fill=colours[5]
            )
            draw.ellipse((cx - radius * 0.2, cy - radius * 0.2, cx + radius * 0.2, cy + radius * 0.2), fill=colours[3])


def _chart(image, colours, rng):
    draw = ImageDraw.Draw(image)
    for y in range(120, HEIGHT, 110):
        draw.line([(0, y), (WIDTH, y)], fill=colours[6], width=2)
    bars, left, gap = rng.randint(9, 14), 120, 22
    width = (WIDTH - 2 * left) / bars - gap
    level = rng.uniform(0.35, 0.6)
    tops = []
    for i in range(bars):
        level = min(0.92, max(0.18, level + rng.uniform(-0.14, 0.16)))
        x = left + i * (width + gap)
        top = HEIGHT - 80 - level * (HEIGHT - 220)
        draw.rectangle((x, top, x + width, HEIGHT - 80), fill=colours[3 if i % 2 else 2])
        tops.append((x + width / 2, top - 40))
    draw.line(tops, fill=colours[5], width=10, joint="curve")
    for x, y in tops:
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), fill=colours[5], outline=colours[4], width=4)
    draw.rectangle((0, HEIGHT - 80, WIDTH, HEIGHT), fill=colours[4])


def _market(image, colours, rng):
    """Striped awnings over market stalls, with crates of produce."""
    draw = ImageDraw.Draw(image)
    stall, x = rng.randint(230, 300), -rng.randint(0, 80)
    tones = [colours[2], colours[3], colours[5], colours[6]]
    while x < WIDTH:
        top, depth = rng.randint(200, 300), rng.randint(150, 190)
        a, b = rng.sample(tones, 2)
        stripes = 6
        for s in range(stripes):
            sx = x + s * stall / stripes
            draw.polygon(
                [
                    (sx, top),
                    (sx + stall / stripes, top),
                    (sx + stall / stripes + 18, top + depth),
                    (sx + 18, top + depth),
                ],
                fill=a if s % 2 else b,
            )
        for s in range(stripes):
            sx = x + 18 + s * stall / stripes
            draw.pieslice(
                (sx, top + depth - stall / stripes / 2, sx + stall / stripes, top + depth + stall / stripes / 2),
                0,
                180,
                fill=a if s % 2 else b,
            )
        draw.rectangle((x + 20, top + depth + 20, x + stall, HEIGHT), fill=colours[4])
        for row in range(2):
            cy = HEIGHT - 170 + row * 80
            draw.rectangle((x + 36, cy, x + stall - 16, cy + 64), fill=colours[3])
            for fx in range(int(x + 48), int(x + stall - 30), 26):
                draw.ellipse((fx, cy - 14, fx + 24, cy + 10), fill=rng.choice([colours[5], colours[2], colours[6]]))
        x += stall + rng.randint(24, 50)


def _pitch(image, colours, rng):
    draw = ImageDraw.Draw(image)
    stripe = 100
    for i in range(WIDTH // stripe + 1):
        draw.rectangle((i * stripe, 0, (i + 1) * stripe, HEIGHT), fill=colours[2] if i % 2 else colours[3])
    line, white = 8, colours[5]
    draw.rectangle((60, 60, WIDTH - 60, HEIGHT - 60), outline=white, width=line)
    draw.line([(WIDTH // 2, 60), (WIDTH // 2, HEIGHT - 60)], fill=white, width=line)
    draw.ellipse((WIDTH // 2 - 130, HEIGHT // 2 - 130, WIDTH // 2 + 130, HEIGHT // 2 + 130), outline=white, width=line)
    for side in (0, 1):
        x0 = 60 if side == 0 else WIDTH - 60 - 240
        draw.rectangle((x0, HEIGHT // 2 - 220, x0 + 240, HEIGHT // 2 + 220), outline=white, width=line)
        x1 = 60 if side == 0 else WIDTH - 60 - 90
        draw.rectangle((x1, HEIGHT // 2 - 100, x1 + 90, HEIGHT // 2 + 100), outline=white, width=line)
    bx, by = rng.randint(500, 1100), rng.randint(250, 650)
    draw.ellipse((bx + 10, by + 40, bx + 80, by + 58), fill=colours[4])
    draw.ellipse((bx, by, bx + 56, by + 56), fill=white, outline=colours[4], width=4)
    draw.regular_polygon((bx + 28, by + 28, 11), 5, fill=colours[4])


def _track(image, colours, rng):
    """Running lanes curving across the picture."""
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, HEIGHT), fill=colours[3])
    cx, cy = rng.randint(-200, 200), HEIGHT + rng.randint(300, 500)
    track = "#b5553c"
    for lane in range(8):
        r = 700 + lane * 70
        draw.ellipse((cx - r * 1.6, cy - r, cx + r * 1.6, cy + r), fill=track if lane % 2 == 0 else "#a84b34")
    draw.ellipse((cx - 700 * 1.6 + 70, cy - 630, cx + 700 * 1.6 - 70, cy + 630), fill=colours[2])
    for lane in range(9):
        r = 700 + lane * 70
        draw.ellipse((cx - r * 1.6, cy - r, cx + r * 1.6, cy + r), outline=colours[5], width=5)
    outer = 700 + 8 * 70
    draw.rectangle((0, 0, WIDTH, cy - outer * 1.0 - 2), fill=colours[3])
    draw.ellipse((cx - outer * 1.6, cy - outer, cx + outer * 1.6, cy + outer), outline=colours[5], width=5)


def _circuit(image, colours, rng):
    draw = ImageDraw.Draw(image)
    step = 80
    nodes = [(x, y) for x in range(40, WIDTH, step) for y in range(40, HEIGHT, step)]
    for _ in range(70):
        x, y = rng.choice(nodes)
        path = [(x, y)]
        for _ in range(rng.randint(3, 8)):
            dx, dy = rng.choice([(step, 0), (-step, 0), (0, step), (0, -step), (step, step), (-step, step)])
            x, y = min(WIDTH - 40, max(40, x + dx)), min(HEIGHT - 40, max(40, y + dy))
            path.append((x, y))
        colour = colours[5] if rng.random() < 0.35 else colours[2]
        draw.line(path, fill=colour, width=5, joint="curve")
        for px, py in (path[0], path[-1]):
            draw.ellipse((px - 11, py - 11, px + 11, py + 11), fill=colours[1], outline=colour, width=5)
    for _ in range(6):
        x, y = rng.choice(nodes)
        draw.rounded_rectangle(
            (x - 70, y - 50, x + 70, y + 50), radius=10, fill=colours[4], outline=colours[5], width=4
        )


def _signal(image, colours, rng):
    """Waves spreading from a mast: telephones, the internet, radio."""
    draw = ImageDraw.Draw(image)
    cx, cy = rng.randint(500, 1100), rng.randint(520, 640)
    for ring in range(1, 14):
        r = ring * 80
        colour = colours[5] if ring % 3 == 0 else colours[2]
        draw.arc((cx - r, cy - r, cx + r, cy + r), 200, 340, fill=colour, width=10 if ring % 3 == 0 else 5)
    draw.polygon([(cx - 60, HEIGHT), (cx + 60, HEIGHT), (cx + 10, cy), (cx - 10, cy)], fill=colours[4])
    for y in range(cy + 60, HEIGHT, 70):
        half = 10 + (y - cy) * 50 / (HEIGHT - cy)
        draw.line([(cx - half, y), (cx + half, y - 40)], fill=colours[3], width=6)
    draw.ellipse((cx - 22, cy - 22, cx + 22, cy + 22), fill=colours[5])
    ridge = _ridge(rng, base=HEIGHT - 90, roughness=40)
    draw.polygon([*ridge, (WIDTH, HEIGHT), (0, HEIGHT)], fill=colours[4])


def _shapes(image, colours, rng):
    """Overlapping translucent circles and arcs."""
    layer = Image.new("RGBA", image.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(layer)
    for index in range(9):
        r = rng.randint(120, 340)
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        colour = colours[5] if index % 3 == 0 else rng.choice(colours[2:5])
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*_rgb(colour), rng.randint(110, 180)))
    for _ in range(5):
        r = rng.randint(150, 420)
        x, y = rng.randint(0, WIDTH), rng.randint(0, HEIGHT)
        start = rng.randint(0, 360)
        draw.arc(
            (x - r, y - r, x + r, y + r), start, start + rng.randint(60, 200), fill=(*_rgb(colours[6]), 220), width=8
        )
    image.paste(Image.alpha_composite(image.convert("RGBA"), layer).convert("RGB"))


def _pages(image, colours, rng):
    """Sheets of a manuscript and a large quotation mark: an opinion column."""
    draw = ImageDraw.Draw(image)
    for i in range(3):
        angle = rng.uniform(-7, 7)
        sheet = Image.new("RGBA", (640, 820), (*_rgb(colours[6]), 255))
        sheet_draw = ImageDraw.Draw(sheet)
        for y in range(120, 760, 44):
            right = 580 - (rng.randint(0, 220) if rng.random() < 0.2 else 0)
            sheet_draw.line([(60, y), (right, y)], fill=colours[2], width=10)
        sheet = sheet.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC)
        image.paste(sheet, (300 + i * 260 + rng.randint(-30, 30), 40 + rng.randint(-20, 40)), sheet)
    # «: the quotation marks Arabic uses.
    x, y = rng.randint(90, 180), rng.randint(560, 660)
    for dx in (0, 110):
        draw.line(
            [(x + dx + 90, y), (x + dx, y + 90), (x + dx + 90, y + 180)], fill=colours[5], width=34, joint="curve"
        )


def _books(image, colours, rng):
    draw = ImageDraw.Draw(image)
    for shelf in range(3):
        base = 300 + shelf * 280
        x = 60
        while x < WIDTH - 80:
            width, height = rng.randint(36, 80), rng.randint(150, 230)
            tilt = rng.random() < 0.08
            colour = rng.choice([colours[2], colours[3], colours[4], colours[5]])
            if tilt:
                draw.polygon(
                    [(x, base), (x + width, base), (x + width + 60, base - height), (x + 60, base - height)],
                    fill=colour,
                )
                x += width + 70
                continue
            draw.rectangle((x, base - height, x + width, base), fill=colour)
            draw.rectangle((x + 6, base - height + 24, x + width - 6, base - height + 34), fill=colours[6])
            x += width + rng.randint(2, 8)
        draw.rectangle((30, base, WIDTH - 30, base + 26), fill=colours[4])


def _music(image, colours, rng):
    draw = ImageDraw.Draw(image)
    for staff in range(2):
        top = 230 + staff * 330
        wave = [(x, top + 40 * math.sin(x / 180 + staff * 2 + rng.uniform(0, 0.3))) for x in range(-20, WIDTH + 40, 20)]
        for line in range(5):
            draw.line([(x, y + line * 26) for x, y in wave], fill=colours[6], width=4)
        for _ in range(rng.randint(8, 12)):
            index = rng.randint(2, len(wave) - 3)
            x, y = wave[index]
            y += rng.randint(0, 4) * 26 - 13
            draw.ellipse((x - 24, y - 17, x + 24, y + 17), fill=colours[5])
            draw.line([(x + 21, y), (x + 21, y - 120)], fill=colours[5], width=7)
    # An oud: its neck and bent peg box, its round body and sound hole.
    draw.line([(WIDTH - 300, HEIGHT - 230), (WIDTH - 760, HEIGHT - 560)], fill=colours[4], width=46)
    draw.line([(WIDTH - 760, HEIGHT - 560), (WIDTH - 800, HEIGHT - 500)], fill=colours[4], width=40)
    draw.ellipse((WIDTH - 440, HEIGHT - 400, WIDTH - 20, HEIGHT + 80), fill=colours[3])
    draw.ellipse((WIDTH - 300, HEIGHT - 260, WIDTH - 180, HEIGHT - 140), fill=colours[4])
    for string in range(-2, 3):
        draw.line(
            [
                (WIDTH - 240 + string * 8, HEIGHT - 200 + string * 6),
                (WIDTH - 750 + string * 6, HEIGHT - 560 + string * 8),
            ],
            fill=colours[6],
            width=2,
        )


def _board(image, colours, rng):
    """A chessboard seen from above, with round pieces on it."""
    draw = ImageDraw.Draw(image)
    cell, left, top = 96, (WIDTH - 8 * 96) // 2, (HEIGHT - 8 * 96) // 2
    draw.rectangle((left - 24, top - 24, left + 8 * cell + 24, top + 8 * cell + 24), fill=colours[4])
    for row in range(8):
        for column in range(8):
            x, y = left + column * cell, top + row * cell
            draw.rectangle((x, y, x + cell, y + cell), fill=colours[6] if (row + column) % 2 == 0 else colours[3])
    for side, rows in ((colours[5], (0, 1)), (colours[4], (6, 7))):
        for row in rows:
            for column in range(8):
                if rng.random() < 0.55:
                    x, y = left + column * cell + cell // 2, top + row * cell + cell // 2
                    r = 30 if row in (0, 7) else 22
                    draw.ellipse((x - r, y - r, x + r, y + r), fill=side, outline=colours[1], width=4)
    for _ in range(4):  # a few pieces already moved into the middle
        x = left + rng.randint(0, 7) * cell + cell // 2
        y = top + rng.randint(2, 5) * cell + cell // 2
        side = rng.choice([colours[5], colours[4]])
        draw.ellipse((x - 22, y - 22, x + 22, y + 22), fill=side, outline=colours[1], width=4)


MOTIFS = {
    "city": _city,
    "hills": _hills,
    "sea": _sea,
    "stars": _stars,
    "chart": _chart,
    "market": _market,
    "pitch": _pitch,
    "track": _track,
    "circuit": _circuit,
    "signal": _signal,
    "shapes": _shapes,
    "pages": _pages,
    "books": _books,
    "music": _music,
    "board": _board,
}
