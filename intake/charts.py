"""Outcome charts drawn on the server as SVG: no JavaScript, prints cleanly, works offline.

``line_chart`` is a pure function: values in, SVG markup out. Every piece of text that reaches
the markup (title, description, labels, tooltips) is escaped here, so a patient-typed label
can never break out of the SVG. Which points count as a clinically important change is the
caller's decision (``intake.scoring.change_is_important``); this module only draws it.
"""

import datetime
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 480
HEIGHT = 280
MARGIN_LEFT = 48
MARGIN_RIGHT = 24
MARGIN_TOP = 52
MARGIN_BOTTOM = 40
FONT = 14
PAD_X = 16  # keeps the first and last dots clear of the axis labels
MIN_LABEL_GAP = 64  # px between date labels, so they never overlap


@dataclass(frozen=True)
class Point:
    """One measurement: when, its value, and whether it differs importantly from the first."""

    when: datetime.date
    value: float
    important: bool = False


def _e(text: object) -> str:
    """Escaped for SVG text and attributes alike."""
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _date_label(day: datetime.date, *, with_year: bool) -> str:
    label = f"{day:%b} {day.day}"
    return f"{label}, {day.year}" if with_year else label


def line_chart(
    *,
    chart_id: str,
    title: str,
    points: Sequence[Point],
    y_max: float,
    y_step: float,
    mcid: float | None = None,
    lower_is_better: bool = False,
    unit: str = "",
    y_min: float = 0,
) -> str:
    """An SVG line chart of ``points`` over time, with the ±``mcid`` band around the first value.

    The shaded band covers first value ± MCID (clipped to the axis): a later point inside it
    has not changed by a clinically important amount; a point outside it has, and is drawn
    filled (``Point.important``). Points are placed by date; when every point falls on the same
    day they are spread evenly so none hides another.
    """
    safe_id = re.sub(r"[^a-z0-9-]", "-", chart_id.lower()) or "chart"
    plot_w = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    inner_left, inner_w = MARGIN_LEFT + PAD_X, plot_w - 2 * PAD_X
    plot_h = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    span_y = (y_max - y_min) or 1

    def y_of(value: float) -> float:
        clipped = min(max(value, y_min), y_max)
        return MARGIN_TOP + plot_h - (clipped - y_min) / span_y * plot_h

    points = sorted(points, key=lambda p: p.when)
    days = [(p.when - points[0].when).days for p in points] if points else []
    span_days = days[-1] if days else 0
    if len(points) == 1:
        xs = [inner_left + inner_w / 2]
    elif span_days == 0:
        xs = [inner_left + inner_w * i / (len(points) - 1) for i in range(len(points))]
    else:
        xs = [inner_left + inner_w * d / span_days for d in days]

    direction = "lower is better" if lower_is_better else "higher is better"
    described = "; ".join(f"{_date_label(p.when, with_year=True)}: {_num(p.value)}" for p in points)
    description = f"{title} ({direction}). {described or 'No data.'}"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="outcome-chart" role="img" id="{safe_id}" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc">',
        f'<title id="{safe_id}-title">{_e(title)}</title>',
        f'<desc id="{safe_id}-desc">{_e(description)}</desc>',
    ]

    # The clinically important change band, behind everything else.
    if mcid is not None and points:
        first = points[0].value
        top, bottom = y_of(first + mcid), y_of(first - mcid)
        parts.append(
            f'<rect class="mcid-band" x="{MARGIN_LEFT}" y="{top:.1f}" width="{plot_w}" '
            f'height="{bottom - top:.1f}" fill="#d9ecef" fill-opacity="0.8">'
            f"<title>{_e(f'Within ±{_num(mcid)}{unit} of the first measure')}</title></rect>"
        )

    # Horizontal grid and the y axis labels.
    tick = y_min
    while tick <= y_max + 1e-9:
        y = y_of(tick)
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#dee2e6" stroke-width="1"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 5:.1f}" text-anchor="end" font-size="{FONT}" '
            f'fill="#495057">{_e(_num(tick))}{_e(unit)}</text>'
        )
        tick += y_step
    parts.append(
        f'<text class="chart-title" x="4" y="20" font-size="{FONT + 2}" font-weight="600" '
        f'fill="#212529">{_e(title)}</text>'
        f'<text x="4" y="40" font-size="{FONT - 1}" fill="#495057">'
        f"{_e(('↓ ' if lower_is_better else '↑ ') + direction)}</text>"
    )

    if not points:
        parts.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" font-size="{FONT}" '
            f'fill="#6c757d">No measures yet</text></svg>'
        )
        return "".join(parts)

    # The x axis, the line, then the points on top of it.
    baseline = HEIGHT - MARGIN_BOTTOM
    parts.append(
        f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{baseline}" y2="{baseline}" '
        f'stroke="#adb5bd" stroke-width="1"/>'
    )
    coords = [(x, y_of(p.value)) for x, p in zip(xs, points, strict=True)]
    if len(coords) > 1:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
        parts.append(
            f'<polyline class="series" points="{path}" fill="none" stroke="#0f5e6e" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    with_year = points[0].when.year != points[-1].when.year
    for (x, y), point in zip(coords, points, strict=True):
        label = f"{_date_label(point.when, with_year=True)}: {_num(point.value)}{unit}"
        if point.important:
            label += " (clinically important change from the first measure)"
        fill = "#0f5e6e" if point.important else "#ffffff"
        parts.append(
            f'<circle class="point{" important" if point.important else ""}" '
            f'cx="{x:.1f}" cy="{y:.1f}" r="5.5" fill="{fill}" stroke="#0f5e6e" '
            f'stroke-width="2"><title>{_e(label)}</title></circle>'
        )

    # Date labels along the x axis, skipping any that would collide with the previous one.
    last_x = None
    for index, (x, point) in enumerate(zip(xs, points, strict=True)):
        is_last = index == len(points) - 1
        if last_x is not None and x - last_x < MIN_LABEL_GAP and not is_last:
            continue
        if last_x is not None and is_last and x - last_x < MIN_LABEL_GAP and index > 0:
            # The most recent date matters most: make room for it instead.
            parts.pop()
        parts.append(
            f'<text class="x-label" x="{x:.1f}" y="{baseline + 22}" text-anchor="middle" '
            f'font-size="{FONT}" fill="#495057">{_e(_date_label(point.when, with_year=with_year))}'
            "</text>"
        )
        last_x = x
    parts.append("</svg>")
    return "".join(parts)
