"""The network's reports drawn as small server-side SVG bar charts (no JavaScript)."""

from html import escape

from markupsafe import Markup


def bars_svg(label: str, rows: list[tuple[str, int]], width: int = 600, height: int = 180) -> Markup:
    """One bar a row (``(name, count)``), tallest scaled to the height; each bar names its count."""
    if not rows:
        return Markup("")
    top = max(1, *(count for _, count in rows))
    gap, floor = 4, height - 24
    step = (width - 20) / len(rows)
    bars = []
    for i, (name, count) in enumerate(rows):
        bar = (floor - 16) * count / top
        x, y = 10 + i * step, floor - bar
        bars.append(
            f"<g><title>{escape(name)}: {count}</title>"
            f'<rect x="{x + gap / 2:.1f}" y="{y:.1f}" width="{step - gap:.1f}" height="{bar:.1f}" fill="currentColor"/>'
            f'<text x="{x + step / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" font-size="11">{count}</text>'
            f'<text x="{x + step / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11">{escape(name)}</text></g>'
        )
    return Markup(
        f'<svg role="img" aria-label="{escape(label)}" viewBox="0 0 {width} {height}" width="100%" class="chart">'
        + "".join(bars)
        + "</svg>"
    )
