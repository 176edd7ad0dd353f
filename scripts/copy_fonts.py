"""Copy the site's fonts from the npm packages (`npm install --ignore-scripts`) to nashir/static/fonts/.

Fontsource ships each family already cut into Google Fonts' subsets; the site takes the
Arabic subset (letters, Arabic-Indic digits, Arabic punctuation) and the Latin one
(Basic Latin and Latin-1: Western digits, punctuation, names in Latin letters) of each
face it uses, and the family's SIL Open Font License. nashir.css declares them with
fontsource's `unicode-range`s, so a page fetches a subset only when it shows a character
of it. `make fonts` runs this; the copies are committed, so the site needs no npm.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ROOT / "node_modules" / "@fontsource"
TARGET = ROOT / "nashir" / "static" / "fonts"
# (package, weights): Naskh for running text, Kufi (bold only) for headlines and navigation.
FACES = [("noto-naskh-arabic", (400, 700)), ("noto-kufi-arabic", (700,))]
SUBSETS = ("arabic", "latin")


def main():
    if not PACKAGES.exists():
        sys.exit("node_modules/@fontsource is missing: run `npm install --ignore-scripts` first")
    TARGET.mkdir(parents=True, exist_ok=True)
    total = 0
    for package, weights in FACES:
        for weight in weights:
            for subset in SUBSETS:
                name = f"{package}-{subset}-{weight}-normal.woff2"
                shutil.copyfile(PACKAGES / package / "files" / name, TARGET / name)
                total += (TARGET / name).stat().st_size
        shutil.copyfile(PACKAGES / package / "LICENSE", TARGET / f"{package}-OFL.txt")
    print(f"Copied {sum(len(w) for _, w in FACES) * len(SUBSETS)} files, {total / 1024:.0f} KB, to {TARGET}")


if __name__ == "__main__":
    main()
