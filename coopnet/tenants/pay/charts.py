"""Small server-side SVG charts (no JavaScript, no CDN)."""

from html import escape

from flask_babel import gettext

from coopnet.i18n import amount, day


def balance_svg(entries, width=600, height=160) -> str:
    """A capital account's running balance over time, as an inline SVG."""
    points, balance = [], 0
    for entry in entries:
        balance += entry.amount
        points.append((entry.entry_on, balance))
    if not points:
        return ""
    low, high = min(0, *(b for _, b in points)), max(1, *(b for _, b in points))
    step = (width - 40) / max(len(points) - 1, 1)
    coords = [
        (20 + i * step, height - 20 - (b - low) * (height - 40) / (high - low)) for i, (_, b) in enumerate(points)
    ]
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    labels = "".join(
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(day(on))}: {escape(amount(b))}</title></circle>'
        for (x, y), (on, b) in zip(coords, points, strict=True)
    )
    return (
        f'<svg role="img" aria-label="{escape(gettext("Capital account balance over time"))}" '
        f'viewBox="0 0 {width} {height}" '
        f'width="100%" class="chart"><polyline fill="none" stroke="currentColor" stroke-width="2" points="{path}"/>'
        f"{labels}</svg>"
    )
