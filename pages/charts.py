"""A bar chart of one metric across model versions, drawn as SVG text by this module alone.

No JavaScript and no library: the page embeds the SVG as an image, so
nothing in it runs. Every piece of text a user wrote (the metric's name,
its dataset) is escaped here, where the markup is made.
"""

from django.utils.html import escape

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 48, 44
#: The longest title shown in full; a longer name is cut (the page shows it whole).
TITLE_LENGTH = 70


def number(value: float) -> str:
    return f"{value:.4g}"


def bar_chart(title: str, bars: list[tuple[str, float]], *, best: set[int], subtitle: str = "") -> str:
    """Return an SVG document: one bar per ``(label, value)``, the bars at the indexes in ``best`` highlighted.

    The value axis always includes zero, so bars of negative values hang
    below it and bars of close values are not exaggerated.
    """
    shown = title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"'
        f' role="img" aria-label="{escape(title)}" font-family="system-ui, sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>',
        f'<text x="{LEFT}" y="20" font-size="14" font-weight="600" fill="#101828">{escape(shown)}</text>',
    ]
    if subtitle:
        parts.append(f'<text x="{LEFT}" y="36" fill="#667085">{escape(subtitle)}</text>')
    if not bars:
        parts.append(f'<text x="{WIDTH // 2}" y="{HEIGHT // 2}" text-anchor="middle" fill="#667085">')
        parts.append("No chosen version has this metric.</text></svg>")
        return "".join(parts)

    values = [value for _, value in bars]
    low, high = min(0.0, *values), max(0.0, *values)
    span = (high - low) or 1.0
    plot_height = HEIGHT - TOP - BOTTOM

    def y(value: float) -> float:
        return TOP + (high - value) / span * plot_height

    zero = y(0.0)
    parts.append(f'<line x1="{LEFT}" y1="{zero:.1f}" x2="{WIDTH - RIGHT}" y2="{zero:.1f}" stroke="#98a2b3"/>')
    for value in {low, high}:
        parts.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="#667085">{number(value)}</text>'
        )
    slot = (WIDTH - LEFT - RIGHT) / len(bars)
    width = min(slot * 0.6, 80)
    for index, (label, value) in enumerate(bars):
        x = LEFT + slot * index + (slot - width) / 2
        top, bottom = sorted((y(value), zero))
        colour = "#12b76a" if index in best else "#6172f3"
        parts.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{width:.1f}" height="{max(bottom - top, 1):.1f}"'
            f' fill="{colour}"><title>{escape(label)}: {number(value)}</title></rect>'
        )
        middle = x + width / 2
        value_y = top - 4 if value >= 0 else bottom + 14
        parts.append(f'<text x="{middle:.1f}" y="{value_y:.1f}" text-anchor="middle">{number(value)}</text>')
        parts.append(
            f'<text x="{middle:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" fill="#344054">'
            f"{escape(label)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
