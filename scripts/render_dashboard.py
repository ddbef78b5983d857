#!/usr/bin/env python3
"""Renders a Grafana dashboard's panels as an SVG from a real Prometheus, without Grafana.

Each panel's PromQL (template variables filled as Grafana would for a 5 s scrape interval) runs as a range query
over the last MINUTES minutes; time series become line charts, heatmap panels become bucket heatmaps. Only the
Python standard library is needed:

    python3 scripts/render_dashboard.py http://localhost:9090 grafana/dashboards/tickgate-overview.json out.svg [MINUTES]
"""
import json
import math
import sys
import time
import urllib.parse
import urllib.request
from html import escape

WIDTH = 1600
ROW_PX = 34
STEP = 5  # seconds between the points of a range query, as Grafana's for a 5 s scrape interval
COLORS = ["#73bf69", "#f2cc0c", "#5794f2", "#ff780a", "#f2495c", "#b877d9", "#8ab8ff", "#ffb357"]


def substitute(expr):
    return (expr.replace("$__rate_interval", "20s").replace("${__rate_interval}", "20s")
            .replace("$__interval", "5s").replace("${instance}", ".*").replace("$instance", ".*"))


def query_range(base, expr, start, end, step):
    url = base + "/api/v1/query_range?" + urllib.parse.urlencode(
        {"query": substitute(expr), "start": start, "end": end, "step": step})
    with urllib.request.urlopen(url, timeout=30) as response:
        body = json.load(response)
    if body["status"] != "success":
        raise RuntimeError(expr + ": " + str(body))
    return body["data"]["result"]


def legend(fmt, metric):
    out = fmt
    for key, value in metric.items():
        out = out.replace("{{" + key + "}}", value)
    return out if "{{" not in out else fmt.split("{{")[0].strip() or str(metric)


def fmt_value(value, unit):
    if value is None or math.isnan(value):
        return "-"
    if unit == "s":
        if abs(value) >= 1:
            return "%.3g s" % value
        if abs(value) >= 1e-3:
            return "%.3g ms" % (value * 1e3)
        return "%.3g µs" % (value * 1e6)
    if unit == "percentunit":
        return "%.3g%%" % (value * 100)
    for limit, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= limit:
            return "%.3g%s" % (value / limit, suffix)
    return "%.3g" % value


def line_panel(out, x, y, w, h, panel, series, unit, start, end):
    plot_x, plot_y, plot_w, plot_h = x + 70, y + 30, w - 85, h - 92
    values = [v for s in series for _, v in s[1] if not math.isnan(v)]
    if not values:
        out.append('<text x="%d" y="%d" fill="#888">no data</text>' % (x + w / 2 - 25, y + h / 2))
        return
    low, high = min(0.0, min(values)), max(values)
    if high == low:
        high = low + 1
    high *= 1.05
    for i in range(5):
        gy = plot_y + plot_h - plot_h * i / 4
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="#2c3235"/>' % (plot_x, gy, plot_x + plot_w, gy))
        out.append('<text x="%d" y="%.1f" fill="#9fa7b3" font-size="10" text-anchor="end">%s</text>'
                   % (plot_x - 5, gy + 3, escape(fmt_value(low + (high - low) * i / 4, unit))))
    for i in range(6):
        t = start + (end - start) * i / 5
        gx = plot_x + plot_w * i / 5
        out.append('<text x="%.1f" y="%d" fill="#9fa7b3" font-size="10" text-anchor="middle">%s</text>'
                   % (gx, plot_y + plot_h + 14, time.strftime("%H:%M:%S", time.gmtime(t))))
    for index, (name, points) in enumerate(series):
        color = COLORS[index % len(COLORS)]
        path, pen = [], "M"
        for t, v in points:
            if math.isnan(v):
                pen = "M"
                continue
            px = plot_x + plot_w * (t - start) / (end - start)
            py = plot_y + plot_h - plot_h * (v - low) / (high - low)
            path.append("%s%.1f,%.1f" % (pen, px, py))
            pen = "L"
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.6"/>' % (" ".join(path), color))
    lx, ly = x + 10, y + h - 28
    for index, (name, points) in enumerate(series[:8]):
        last = next((v for _, v in reversed(points) if not math.isnan(v)), float("nan"))
        label = "%s  %s" % (name, fmt_value(last, unit))
        if lx + 7 * len(label) > x + w:
            lx, ly = x + 10, ly + 13
        out.append('<rect x="%d" y="%d" width="10" height="3" fill="%s"/>' % (lx, ly - 4, COLORS[index % len(COLORS)]))
        out.append('<text x="%d" y="%d" fill="#ccccdc" font-size="10">%s</text>' % (lx + 14, ly, escape(label)))
        lx += 14 + 6 * len(label) + 16


def heatmap_panel(out, x, y, w, h, result, start, end, step):
    by_le = {}
    for series in result:
        le = float(series["metric"]["le"])
        by_le[le] = {float(t): float(v) for t, v in series["values"]}
    bounds = sorted(by_le)
    times = sorted({t for counts in by_le.values() for t in counts})
    if not bounds or not times:
        return
    rows = []
    for i, le in enumerate(bounds):
        below = by_le[bounds[i - 1]] if i > 0 else {}
        rows.append({t: max(0.0, by_le[le].get(t, 0.0) - below.get(t, 0.0)) for t in times})
    used = [i for i, row in enumerate(rows) if any(v > 0 for v in row.values())]
    if not used:
        return
    rows_shown = list(range(max(0, used[0] - 1), min(len(bounds), used[-1] + 2)))
    peak = max(rows[i][t] for i in rows_shown for t in times) or 1
    plot_x, plot_y, plot_w, plot_h = x + 70, y + 30, w - 85, h - 60
    # Cells sit at their sample's time, so a Prometheus with less history than the window leaves the start empty.
    cell_w, cell_h = plot_w * step / (end - start), plot_h / len(rows_shown)
    for r, i in enumerate(rows_shown):
        cy = plot_y + plot_h - (r + 1) * cell_h
        label = "+Inf" if math.isinf(bounds[i]) else fmt_value(bounds[i], "s")
        out.append('<text x="%d" y="%.1f" fill="#9fa7b3" font-size="10" text-anchor="end">≤ %s</text>'
                   % (plot_x - 5, cy + cell_h / 2 + 3, escape(label)))
        for t in times:
            v = rows[i][t]
            if v <= 0:
                continue
            if v < 1:
                continue  # increase() extrapolation leaves fractions in empty buckets
            if t - step < start:
                continue  # the interval began before the window
            level = math.log1p(v) / math.log1p(peak)
            color = "rgb(%d,%d,%d)" % (60 + 195 * level, 40 + 120 * level, 20)
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>'
                       % (plot_x + plot_w * (t - start) / (end - start) - cell_w, cy, cell_w + 0.5, cell_h - 1, color))
    for i in range(6):
        t = start + (end - start) * i / 5
        out.append('<text x="%.1f" y="%d" fill="#9fa7b3" font-size="10" text-anchor="middle">%s</text>'
                   % (plot_x + plot_w * i / 5, plot_y + plot_h + 14, time.strftime("%H:%M:%S", time.gmtime(t))))


def main():
    base, dashboard_file, out_file = sys.argv[1], sys.argv[2], sys.argv[3]
    minutes = float(sys.argv[4]) if len(sys.argv) > 4 else 5
    dashboard = json.load(open(dashboard_file))
    end = time.time()
    start = end - minutes * 60
    unit_px = WIDTH / 24
    bottom = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dashboard["panels"])
    height = bottom * ROW_PX + 50
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="sans-serif">' % (WIDTH, height),
           '<rect width="100%" height="100%" fill="#111217"/>',
           '<text x="10" y="28" fill="#d8d9da" font-size="18">%s — last %g min, rendered from Prometheus by '
           'scripts/render_dashboard.py (not a Grafana screenshot)</text>' % (escape(dashboard["title"]), minutes)]
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        x, y = grid["x"] * unit_px + 4, grid["y"] * ROW_PX + 44
        w, h = grid["w"] * unit_px - 8, grid["h"] * ROW_PX - 8
        out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="#181b1f" stroke="#2c3235" rx="3"/>'
                   % (x, y, w, h))
        out.append('<text x="%.1f" y="%.1f" fill="#d8d9da" font-size="13">%s</text>'
                   % (x + 8, y + 18, escape(panel["title"])))
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit", "short")
        if panel["type"] == "heatmap":
            result = query_range(base, panel["targets"][0]["expr"], start, end, STEP)
            heatmap_panel(out, x, y, w, h, result, start, end, STEP)
            continue
        series = []
        for target in panel["targets"]:
            for result in query_range(base, target["expr"], start, end, STEP):
                points = [(float(t), float(v)) for t, v in result["values"]]
                series.append((legend(target.get("legendFormat", ""), result["metric"]), points))
        line_panel(out, x, y, w, h, panel, series, unit, start, end)
    out.append("</svg>")
    with open(out_file, "w") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
