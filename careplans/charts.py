"""A small server-side SVG chart of pain after home sessions: no JavaScript, prints cleanly.

``pain_chart`` is pure: points in, SVG markup out. The x axis is the whole window (so days
without a session show as gaps), the y axis pain 0–10 with 10 at the top; days with a session
that was a flare-up are marked in red (``class="flare"``). Every piece of text that reaches the
markup is escaped here.
"""

import datetime
import html
import re
from collections.abc import Collection, Sequence

PAIN_MAX = 10
LINE_COLOUR = "#0f5e6e"
FLARE_COLOUR = "#b02a37"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _day(day: datetime.date) -> str:
    return f"{day:%b} {day.day}"


def pain_chart(
    *,
    chart_id: str,
    points: Sequence[tuple[datetime.date, int]],
    start: datetime.date,
    end: datetime.date,
    width: int = 160,
    height: int = 40,
    axes: bool = False,
    flare_days: Collection[datetime.date] = (),
) -> str:
    """Pain after sessions (one point per day) from ``start`` to ``end``, as an SVG string.

    ``axes`` adds the 0/5/10 labels and the first and last dates, for the larger chart on a
    patient's page; without it the chart is a sparkline for a list row. The points of
    ``flare_days`` are drawn larger, in red, and named flare-ups in their titles.
    """
    safe_id = re.sub(r"[^a-z0-9-]", "-", chart_id.lower()) or "pain"
    left, right = (26, 8) if axes else (3, 3)
    top, bottom = (8, 20) if axes else (3, 3)
    plot_w, plot_h = width - left - right, height - top - bottom
    span = max((end - start).days, 1)

    def x_of(day: datetime.date) -> float:
        return left + plot_w * (day - start).days / span

    def y_of(pain: int) -> float:
        return top + plot_h * (1 - min(max(pain, 0), PAIN_MAX) / PAIN_MAX)

    flares = set(flare_days)

    def said(day: datetime.date, pain: int) -> str:
        return f"{_day(day)}: pain {pain}/10" + (", a flare-up" if day in flares else "")

    described = "; ".join(
        f"{_day(day)}: {pain}" + (" (flare-up)" if day in flares else "") for day, pain in points
    )
    title = f"Pain after sessions, {_day(start)} to {_day(end)} (0 none, 10 worst)"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="pain-chart" role="img" id="{safe_id}" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc">',
        f'<title id="{safe_id}-title">{_e(title)}</title>',
        f'<desc id="{safe_id}-desc">{_e(described or "No sessions logged.")}</desc>',
    ]
    for level in (0, 5, 10):
        y = y_of(level)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
        )
        if axes:
            parts.append(
                f'<text x="{left - 5}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
                f'fill="#495057">{level}</text>'
            )
    if axes:
        baseline = height - 5
        parts.append(
            f'<text x="{left}" y="{baseline}" font-size="10" fill="#495057">{_e(_day(start))}'
            f'</text><text x="{width - right}" y="{baseline}" text-anchor="end" font-size="10" '
            f'fill="#495057">{_e(_day(end))}</text>'
        )
    if not points:
        parts.append(
            f'<text x="{width / 2:.1f}" y="{top + plot_h / 2 + 4:.1f}" text-anchor="middle" '
            f'font-size="10" fill="#6c757d">No sessions</text></svg>'
        )
        return "".join(parts)
    coords = [(x_of(day), y_of(pain)) for day, pain in points]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.5" '
            f'stroke-linejoin="round"/>'
        )
    radius = 3 if axes else 2
    for (x, y), (day, pain) in zip(coords, points, strict=True):
        if day in flares:
            shape = f'r="{radius + 1.5}" fill="{FLARE_COLOUR}" stroke="#fff" class="flare"'
        else:
            shape = f'r="{radius}" fill="{LINE_COLOUR}"'
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" {shape}>'
            f"<title>{_e(said(day, pain))}</title></circle>"
        )
    parts.append("</svg>")
    return "".join(parts)
