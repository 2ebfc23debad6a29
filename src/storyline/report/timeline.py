"""A timeline chart as inline SVG: drawn on the server, so it needs no script and no network."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 900, 140, 30


@dataclass(frozen=True)
class TimelinePoint:
    day: date
    count: int
    label: str
    href: str | None = None


def timeline_points(rows: list[tuple[str | None, str, str | None, int]]) -> list[TimelinePoint]:
    """Points from (ISO date or None, label, link, weight) rows; undated rows are left out."""
    points: dict[date, list[tuple[str, str | None, int]]] = {}
    for value, label, href, weight in rows:
        try:
            day = date.fromisoformat((value or "")[:10])
        except ValueError:
            continue
        points.setdefault(day, []).append((label, href, weight))
    return [TimelinePoint(day, sum(w for _, _, w in items),
                          "; ".join(label for label, _, _ in items[:5]), items[0][1])
            for day, items in sorted(points.items())]


def timeline_svg(points: list[TimelinePoint], *, title: str) -> Markup:
    """Circles on a date axis, sized by count, each with a tooltip and an optional link."""
    if not points:
        return Markup('<p class="pending">Nothing dated to show on a timeline yet.</p>')
    first, last = points[0].day, points[-1].day
    span = max((last - first).days, 1)
    biggest = max(p.count for p in points)
    parts = [f'<svg class="timeline" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'aria-label="{escape(title)}"><title>{escape(title)}</title>',
             f'<line x1="{MARGIN}" y1="{HEIGHT // 2}" x2="{WIDTH - MARGIN}" y2="{HEIGHT // 2}" '
             'stroke="#999"/>']
    for point in points:
        x = MARGIN + (WIDTH - 2 * MARGIN) * (point.day - first).days / span
        radius = 5 + 12 * (point.count / biggest) ** 0.5
        tip = escape(f"{point.day.isoformat()}: {point.label} ({point.count})")
        circle = (f'<circle cx="{x:.1f}" cy="{HEIGHT // 2}" r="{radius:.1f}" '
                  f'class="point"><title>{tip}</title></circle>')
        if point.href:
            circle = f'<a href="{escape(point.href)}">{circle}</a>'
        parts.append(circle)
    for day, anchor in ((first, "start"), (last, "end")):
        x = MARGIN if anchor == "start" else WIDTH - MARGIN
        parts.append(f'<text x="{x}" y="{HEIGHT - 8}" text-anchor="{anchor}" '
                     f'font-size="12">{day.isoformat()}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
