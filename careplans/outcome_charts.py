"""The outcomes dashboard's charts, drawn on the server as SVG (no JavaScript; prints cleanly).

``bar_chart`` is a pure function: labelled values in, SVG markup out, every text escaped here.
A missing value (no data that month) is drawn as a gap with "—", never as zero.
"""

import html
import re
from collections.abc import Sequence

WIDTH, HEIGHT = 560, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 28, 34
BAR_COLOUR = "#0d6efd"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    *,
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, float | None]],
    unit: str = "",
    y_max: float | None = None,
) -> str:
    """Bars for ``(label, value)`` pairs, a scale from 0 to ``y_max`` (or the largest value)."""
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "", chart_id) or "chart"
    values = [value for _, value in bars if value is not None]
    top_value = y_max or max(values, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    described = "; ".join(
        f"{label}: {'no data' if value is None else _num(value) + unit}" for label, value in bars
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'class="outcome-chart" role="img" id="{safe_id}" '
        f'aria-labelledby="{safe_id}-title {safe_id}-desc">',
        f'<title id="{safe_id}-title">{_e(title)}</title>',
        f'<desc id="{safe_id}-desc">{_e(described or "No data.")}</desc>',
        f'<text x="{LEFT}" y="16" font-size="13" font-weight="600" fill="#212529">{_e(title)}'
        "</text>",
    ]
    for fraction in (0, 0.5, 1):
        y = TOP + plot_h * (1 - fraction)
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dee2e6"/>'
            f'<text x="{LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="10" '
            f'fill="#495057">{_e(_num(top_value * fraction))}{_e(unit)}</text>'
        )
    for n, (label, value) in enumerate(bars):
        x = LEFT + slot * n + slot * 0.15
        centre = LEFT + slot * n + slot / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{HEIGHT - 12}" text-anchor="middle" font-size="10" '
            f'fill="#495057">{_e(label)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + plot_h - 4}" text-anchor="middle" '
                'font-size="10" fill="#6c757d">—</text>'
            )
            continue
        h = plot_h * min(value, top_value) / top_value
        parts.append(
            f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{slot * 0.7:.1f}" '
            f'height="{h:.1f}" fill="{BAR_COLOUR}"><title>{_e(label)}: '
            f"{_e(_num(value))}{_e(unit)}</title></rect>"
            f'<text x="{centre:.1f}" y="{TOP + plot_h - h - 3:.1f}" text-anchor="middle" '
            f'font-size="10" fill="#212529">{_e(_num(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
