"""The newsroom's look, from its settings: brand colours checked against WCAG AA, the headline face, /theme.css.

The public pages' Content-Security-Policy has `style-src 'self'`: no <style>
element and no style attribute is applied, so the chosen colours reach the
page as a small stylesheet served by the site, linked after nashir.css. Its
address carries a digest of what it holds: a browser keeps it for a year, and
new settings give a new address (the pages that link it are stored under the
site's tag, which a settings save bumps).
"""

import hashlib

from django.utils.translation import gettext_lazy as _

# The backgrounds the accent meets in each theme (nashir.css): paper, wash, notice; the
# darkest of the light ones and the lightest of the dark ones are what limit contrast.
LIGHT_BACKGROUNDS = ("#ffffff", "#f6f5f2", "#fff8f6")
DARK_BACKGROUNDS = ("#141312", "#1f1d1b", "#2a1b1a")
# Text set on the accent (buttons): white in light, the dark paper in dark.
LIGHT_ON_ACCENT, DARK_ON_ACCENT = "#ffffff", "#141312"
# WCAG 2.2 AA, 1.4.3: normal-size text. Links and button labels are set in the accent.
AA_CONTRAST = 4.5

HEADLINE_FONTS = {
    "kufi": (
        _("نوتو كوفي (افتراضي)"),
        '"Noto Kufi Arabic", "Noto Naskh Arabic", Tahoma, "Geeza Pro", Arial, sans-serif',
    ),
    "naskh": (_("نوتو نسخ"), '"Noto Naskh Arabic", "Amiri", "Traditional Arabic", "Times New Roman", serif'),
}
DEFAULT_HEADLINE_FONT = "kufi"


def _luminance(colour: str) -> float:
    """Relative luminance of "#rrggbb" (WCAG 2.2, "relative luminance")."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def lowest_contrast(colour: str, *, dark: bool) -> float:
    """The accent's lowest contrast on the theme's backgrounds and with the text set on it."""
    backgrounds = DARK_BACKGROUNDS if dark else LIGHT_BACKGROUNDS
    on_accent = DARK_ON_ACCENT if dark else LIGHT_ON_ACCENT
    return min(contrast_ratio(colour, other) for other in (*backgrounds, on_accent))


def theme_values(publisher) -> dict:
    """What /theme.css is made of; empty when the newsroom keeps the shipped look."""
    values = {}
    if publisher.brand_colour:
        values["accent"] = publisher.brand_colour.lower()
    if publisher.brand_colour_dark:
        values["accent_dark"] = publisher.brand_colour_dark.lower()
    if publisher.headline_font and publisher.headline_font != DEFAULT_HEADLINE_FONT:
        values["headline_font"] = publisher.headline_font
    return values


def theme_digest(values: dict) -> str:
    return hashlib.blake2b(repr(sorted(values.items())).encode(), digest_size=8).hexdigest() if values else ""


def theme_css(values: dict) -> str:
    """The rules that override nashir.css's defaults; screen only (print stays black on white)."""
    rules = []
    if "accent" in values:
        rules.append(f":root {{ --accent: {values['accent']}; --on-accent: {LIGHT_ON_ACCENT}; }}")
    if "accent_dark" in values:
        dark = f"--accent: {values['accent_dark']}; --on-accent: {DARK_ON_ACCENT};"
        # The same two selectors nashir.css gives its dark theme, so these win by coming later.
        rules.append(f'@media (prefers-color-scheme: dark) {{ :root:not([data-theme="light"]) {{ {dark} }} }}')
        rules.append(f':root[data-theme="dark"] {{ {dark} }}')
    if "headline_font" in values:
        rules.append(f":root {{ --font-head: {HEADLINE_FONTS[values['headline_font']][1]}; }}")
    return "@media screen {\n" + "\n".join(rules) + "\n}\n" if rules else ""
