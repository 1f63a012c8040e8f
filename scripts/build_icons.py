"""Build static/icons/sprite.svg from the Lucide icon set (ISC licence), with only the
icons the templates use.

    npm pack lucide-static@1.87.0 && tar xzf lucide-static-1.87.0.tgz
    python3 scripts/build_icons.py package/icons

Add a name to ICONS, rebuild, commit the sprite. Templates show an icon with
`{% load icons %}{% icon "lightbulb" %}` (shared/templatetags/icons.py); a test checks
that every name used in a template is in the sprite.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VERSION = "1.87.0"
ICONS = [
    "bell", "chart-column", "check", "chevron-left", "chevron-right", "graduation-cap",
    "house", "inbox", "keyboard", "lightbulb", "message-square", "newspaper", "pen-line",
    "plus", "search", "settings", "thumbs-up", "user-round", "users",
]


def symbol(name: str, svg: str) -> str:
    body = re.search(r"<svg[^>]*>(.*)</svg>", svg, re.S).group(1)
    body = "".join(line.strip() for line in body.splitlines())
    # Stroke settings on each symbol: a <use> copies the symbol, not the sprite's root.
    return (f'<symbol id="{name}" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
            f'stroke-width="2" stroke-linecap="round" stroke-linejoin="round">{body}</symbol>')


def main(folder: str) -> None:
    source = Path(folder)
    symbols = [symbol(name, (source / f"{name}.svg").read_text()) for name in ICONS]
    out = ROOT / "static" / "icons" / "sprite.svg"
    out.write_text(
        f"<!-- Lucide v{VERSION} (ISC licence, see LICENSE-lucide.txt); built by "
        "scripts/build_icons.py -->\n"
        '<svg xmlns="http://www.w3.org/2000/svg">\n'
        + "\n".join(symbols) + "\n</svg>\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
