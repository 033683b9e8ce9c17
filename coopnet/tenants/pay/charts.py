"""Small server-side SVG charts (no JavaScript, no CDN)."""

from html import escape

from flask_babel import gettext

from coopnet.i18n import amount, day
from coopnet.i18n import hours as number_of_hours


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


def hours_and_allocation_svg(lines, names: dict[int, str], width=600) -> str:
    """One year's split: for each member a bar of hours worked and a bar of what they were
    allocated, each scaled to its own largest; every bar says its figure to a screen reader."""
    if not lines:
        return ""
    row, label_width, bar_width = 34, 160, width - 160 - 110
    most_minutes = max(1, *(line.minutes for line in lines))
    most_cents = max(1, *(line.allocation for line in lines))
    parts = []
    for i, line in enumerate(lines):
        y = 8 + i * row
        name = escape(names.get(line.account_id, "?"))
        hours = escape(number_of_hours(line.minutes))
        share = escape(amount(line.allocation))
        hours_length = bar_width * line.minutes / most_minutes
        share_length = bar_width * line.allocation / most_cents
        parts.append(
            f'<text x="0" y="{y + 16}" font-size="12">{name}</text>'
            f'<rect x="{label_width}" y="{y}" width="{hours_length:.1f}" height="11" fill="#7a8fa6">'
            f"<title>{name}: {escape(gettext('%(hours)s hours', hours=hours))}</title></rect>"
            f'<text x="{label_width + hours_length + 4:.1f}" y="{y + 10}" font-size="10">{hours} h</text>'
            f'<rect x="{label_width}" y="{y + 13}" width="{share_length:.1f}" height="11" fill="#2f6f4f">'
            f"<title>{name}: {share}</title></rect>"
            f'<text x="{label_width + share_length + 4:.1f}" y="{y + 23}" font-size="10">{share}</text>'
        )
    height = 8 + len(lines) * row
    title = escape(gettext("Hours worked and allocation, by member"))
    return (
        f'<svg role="img" aria-label="{title}" viewBox="0 0 {width} {height}" width="100%" class="chart">'
        f"<title>{title}</title>{''.join(parts)}</svg>"
    )
