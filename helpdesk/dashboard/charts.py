"""Charts as shapes for an accessible SVG: bars, lines and labels in a fixed viewBox, plus the
same figures as a table. Pure: no Flask, no database; labels arrive already formatted.

Every chart is drawn in a 640-unit-wide viewBox and scales to its container (width 100%), so
text is sized for a phone (a 390 px screen shows it at about 60%).
"""

from dataclasses import dataclass, field

WIDTH = 640
FONT = 20  # viewBox units: about 12 px on a phone, 20 px at full width
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 40
ROW = 36  # a horizontal bar's row height


@dataclass(frozen=True)
class Shape:
    tag: str  # rect, line, text, polyline, circle
    attrs: dict
    text: str = ""


@dataclass(frozen=True)
class Series:
    label: str
    css: str  # the class that colours it (static/css/app.css, dashboard block)


@dataclass
class Chart:
    key: str  # for ids
    title: str
    desc: str  # one sentence with the key figures
    height: int
    shapes: list[Shape] = field(default_factory=list)
    legend: list[Series] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list] = field(default_factory=list)  # first cell is the row header
    width: int = WIDTH

    @property
    def is_empty(self) -> bool:
        return not self.rows


def _nice_max(value: float) -> float:
    """A round top for the scale: 1, 2, 5, 10, 20, 50 …"""
    if value <= 0:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def _label_every(count: int, room: int) -> int:
    """Show every n-th axis label so that at most `room` fit."""
    return max(1, -(-count // room))


def _y_axis(top: float, height: float, chart_bottom: float, left: float, right: float, fmt) -> list:
    shapes = []
    for fraction in (0, 0.5, 1):
        y = chart_bottom - fraction * height
        shapes.append(Shape("line", {"x1": left, "x2": right, "y1": y, "y2": y, "class": "grid"}))
        shapes.append(
            Shape(
                "text",
                {"x": left - 6, "y": y + FONT * 0.35, "text-anchor": "end", "class": "tick"},
                fmt(top * fraction),
            )
        )
    return shapes


def _whole(value: float) -> str:
    return f"{value:g}"


def stacked_columns(
    key: str,
    title: str,
    desc: str,
    labels: list[str],
    series: list[Series],
    values: list[list[int]],
    fmt=_whole,
) -> Chart:
    """Columns (one per label) stacked by series; values[series][label]."""
    height = 300
    chart_bottom = height - BOTTOM
    plot_height = chart_bottom - TOP
    totals = [sum(column) for column in zip(*values, strict=True)] if values else []
    top = _nice_max(max(totals, default=0))
    chart = Chart(key, title, desc, height, legend=list(series))
    chart.shapes += _y_axis(top, plot_height, chart_bottom, LEFT, WIDTH - RIGHT, fmt)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    bar = max(slot * 0.7, 2)
    every = _label_every(len(labels), 6)
    for i, label in enumerate(labels):
        x = LEFT + i * slot + (slot - bar) / 2
        y = chart_bottom
        for s, one in enumerate(series):
            value = values[s][i]
            if value:
                h = value / top * plot_height
                y -= h
                chart.shapes.append(
                    Shape(
                        "rect",
                        {"x": x, "y": y, "width": bar, "height": h, "class": one.css},
                        f"{label}: {fmt(value)} {one.label.lower()}",
                    )
                )
        if i % every == 0:
            chart.shapes.append(
                Shape(
                    "text",
                    {"x": x + bar / 2, "y": height - 12, "text-anchor": "middle", "class": "tick"},
                    label,
                )
            )
    chart.headers = ["Week of", *(s.label for s in series), "Total"]
    chart.rows = [
        [label, *(values[s][i] for s in range(len(series))), totals[i]]
        for i, label in enumerate(labels)
    ]
    return chart


def columns_with_line(
    key: str,
    title: str,
    desc: str,
    labels: list[str],
    column_series: Series,
    column_values: list[int],
    line_series: Series | None = None,
    line_values: list[float] | None = None,
    headers: list[str] | None = None,
) -> Chart:
    """Columns, and optionally a line drawn on its own scale (labelled on the right)."""
    chart = stacked_columns(key, title, desc, labels, [column_series], [column_values])
    if line_series and line_values:
        chart_bottom = chart.height - BOTTOM
        plot_height = chart_bottom - TOP
        top = _nice_max(max(line_values, default=0))
        slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
        points = [
            (LEFT + (i + 0.5) * slot, chart_bottom - v / top * plot_height)
            for i, v in enumerate(line_values)
        ]
        chart.shapes.append(
            Shape(
                "polyline",
                {
                    "points": " ".join(f"{x:.1f},{y:.1f}" for x, y in points),
                    "class": line_series.css,
                },
            )
        )
        chart.shapes.append(
            Shape(
                "text",
                {"x": WIDTH - RIGHT, "y": TOP + FONT * 0.35, "text-anchor": "end", "class": "tick"},
                f"{line_series.label}: {_whole(line_values[-1])}",
            )
        )
        chart.legend.append(line_series)
        chart.rows = [[*row[:2], line_values[i]] for i, row in enumerate(chart.rows)]
        chart.headers = headers or ["Week of", column_series.label, line_series.label]
    else:
        chart.rows = [row[:2] for row in chart.rows]
        chart.headers = headers or ["Week of", column_series.label]
    return chart


def bars(
    key: str,
    title: str,
    desc: str,
    labels: list[str],
    series: list[Series],
    values: list[list[float]],
    *,
    marker: tuple[str, float] | None = None,
    headers: list[str] | None = None,
    fmt=_whole,
) -> Chart:
    """Horizontal bars, one row per label, one bar per series side by side in the row; an
    optional vertical marker (a median) across all rows."""
    label_room = 200
    rows = len(labels)
    per_row = ROW * max(len(series), 1) * 0.8 + 14
    height = int(TOP + rows * per_row + BOTTOM)
    chart = Chart(key, title, desc, max(height, 90), legend=list(series) if len(series) > 1 else [])
    left, right = label_room, WIDTH - RIGHT - 40
    top = _nice_max(max((v for column in values for v in column), default=0))
    span = right - left
    for i, label in enumerate(labels):
        y0 = TOP + i * per_row
        chart.shapes.append(
            Shape(
                "text",
                {"x": left - 8, "y": y0 + per_row / 2, "text-anchor": "end", "class": "label"},
                _clip(label, 15),
            )
        )
        thickness = (per_row - 14) / max(len(series), 1)
        for s, one in enumerate(series):
            value = values[s][i]
            w = value / top * span
            y = y0 + 4 + s * thickness
            chart.shapes.append(
                Shape(
                    "rect",
                    {
                        "x": left,
                        "y": y,
                        "width": max(w, 1),
                        "height": thickness - 2,
                        "class": one.css,
                    },
                    f"{label}: {fmt(value)} {one.label.lower()}",
                )
            )
            chart.shapes.append(
                Shape(
                    "text",
                    {"x": left + w + 6, "y": y + thickness / 2 + FONT * 0.3, "class": "value"},
                    fmt(value),
                )
            )
    if marker is not None and rows:
        name, value = marker
        x = left + value / top * span
        bottom = TOP + rows * per_row
        chart.shapes.append(
            Shape("line", {"x1": x, "x2": x, "y1": TOP - 4, "y2": bottom, "class": "marker"})
        )
        chart.shapes.append(
            Shape(
                "text",
                {"x": x, "y": bottom + FONT + 4, "text-anchor": "middle", "class": "marker-label"},
                f"{name} {fmt(value)}",
            )
        )
    chart.headers = headers or ["", *(s.label for s in series)]
    chart.rows = [
        [label, *(values[s][i] for s in range(len(series)))] for i, label in enumerate(labels)
    ]
    return chart


def share_bar(key: str, title: str, desc: str, parts: list[tuple[Series, int]]) -> Chart:
    """One bar split into parts of a whole, each labelled with its percent."""
    height = 130
    chart = Chart(key, title, desc, height, legend=[s for s, _ in parts])
    total = sum(v for _, v in parts)
    x = 0.0
    span = WIDTH - 2
    for series, value in parts:
        if not total or not value:
            continue
        w = value / total * span
        chart.shapes.append(
            Shape(
                "rect",
                {"x": 1 + x, "y": 20, "width": w, "height": 56, "class": series.css},
                f"{series.label}: {value}",
            )
        )
        if w > 56:
            chart.shapes.append(
                Shape(
                    "text",
                    {"x": 1 + x + w / 2, "y": 56, "text-anchor": "middle", "class": "on-bar"},
                    f"{round(100 * value / total)}%",
                )
            )
        x += w
    chart.headers = ["How it ended", "Requests", "Share"]
    chart.rows = [[s.label, v, f"{round(100 * v / total) if total else 0}%"] for s, v in parts]
    if not total:
        chart.rows = []
    return chart


def _clip(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
