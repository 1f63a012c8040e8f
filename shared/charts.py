"""Geometry for the inline SVG charts (includes/bar_chart.html, includes/line_chart.html):
the dashboard's and the pulse results'. Plain numbers in, positions out; the templates
draw them, and a table next to each chart is its text alternative."""


def bar_chart(rows, *, label, value, width=560, bar_height=22, gap=6, funnel=False) -> dict:
    """Geometry for a horizontal bar chart rendered as inline SVG by the template. A
    funnel centres each bar on the same axis, so the stages narrow visibly."""
    values = [r[value] or 0 for r in rows]
    top = max(values) if values else 0
    label_width = 180
    room = width - label_width - 60
    scale = room / top if top else 0
    bars = []
    for i, (r, v) in enumerate(zip(rows, values, strict=True)):
        w = max(1, round(v * scale)) if v else 0
        x = label_width + ((room - w) // 2 if funnel else 0)
        # The same bar as a share of the track (0-100), for the HTML chart's SVG track.
        share = round(100 * w / room, 1) if room else 0
        offset = round((100 - share) / 2, 1) if funnel else 0
        bars.append({"label": str(r[label]) if r[label] is not None else "—", "value": v,
                     "y": i * (bar_height + gap), "w": w, "x": x, "value_x": x + w + 6,
                     "share": share, "offset": offset})
    return {"bars": bars, "width": width, "height": len(bars) * (bar_height + gap),
            "bar_height": bar_height, "label_width": label_width}


def line_chart(rows, *, label, value, width=400, height=190, pad=30) -> dict:
    """Geometry for a line chart (one point per row, e.g. per month) as inline SVG. Every
    point is labelled with its value; about four labels run along the bottom."""
    values = [r[value] or 0 for r in rows]
    top = max(values) if values else 0
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    step = inner_w / (len(rows) - 1) if len(rows) > 1 else 0
    labels = [str(r[label]) for r in rows]
    # At most four labels, never closer than the longest needs (about 12 units a
    # character at the chart's font size, a Persian month name being the longest).
    longest = max((len(t) for t in labels), default=0)
    every = max(1, -(-len(rows) // 4), -(-longest * 12 // step) if step else 1)
    last = len(rows) - 1
    shown = {i for i in range(len(rows)) if i % every == 0}
    if last not in shown and last - max(shown, default=0) >= every:
        shown.add(last)
    elif last not in shown and len(shown) > 1:
        # The last point's label matters most (the latest month): it replaces the one
        # that would crowd it.
        shown.discard(max(shown))
        shown.add(last)
    points = [{"x": round(pad + i * step, 1),
               "y": round(pad + inner_h - (v / top * inner_h if top else 0), 1),
               "value": v, "label": labels[i],
               "show_label": i in shown,
               # The end labels stay inside the chart.
               "anchor": "start" if i == 0 else "end" if i == last else "middle"}
              for i, (r, v) in enumerate(zip(rows, values, strict=True))]
    return {"points": points, "width": width, "height": height, "baseline": pad + inner_h,
            "left": pad, "right": width - pad,
            "polyline": " ".join(f"{p['x']},{p['y']}" for p in points)}
