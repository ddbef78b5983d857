package io.tickgate.perf.sidebyside;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.HdrHistogram.HistogramLogReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders the runs as a self-contained HTML page (per scenario a table, servers as rows, and an inline SVG of the
 * latency percentile distribution, one line per server) and as a Markdown table for docs/benchmarks.md. Stateless.
 */
final class Report
{
    /** One run and its latency histogram (null when the run produced none). */
    record Run(RunSummary summary, Histogram latency)
    {
    }

    private record Column(String header, Function<RunSummary, String> value)
    {
    }

    static final double MAX_PLOTTED_PERCENTILE = 99.999;
    private static final int WIDTH = 760;
    private static final int HEIGHT = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 130;
    private static final int TOP = 20;
    private static final int BOTTOM = 45;
    private static final Map<String, String> COLOURS = Map.of(
        "tickgate", "#1f77b4", "bun", "#ff7f0e", "ws", "#2ca02c");

    private static final List<Column> COLUMNS = List.of(
        new Column("server", RunSummary::server),
        new Column("offered/s (feed x subscribers held)", r -> count(r.feedDeliveriesPerSecond())),
        new Column("entries/s", r -> count(r.entriesPerSecond())),
        new Column("frames/s", r -> count(r.framesPerSecond())),
        new Column("entries/frame", r -> decimal(r.entriesPerFrame(), 2)),
        new Column("accounted", r -> percent(r.accountedPercent(), 2)),
        new Column("seq/feed", r -> percent(r.appliedPercentOfFeed(), 1)),
        new Column("latency p50 / p90 / p99 / p99.9 / max ms", r -> String.join(" / ", decimal(r.latencyP50Ms(), 2),
            decimal(r.latencyP90Ms(), 2), decimal(r.latencyP99Ms(), 2), decimal(r.latencyP999Ms(), 1),
            decimal(r.latencyMaxMs(), 1))),
        new Column("age p99 ms", r -> decimal(r.ageP99Ms(), 2)),
        new Column("gateway tick-to-wire p99 ms", Report::gatewayTickToWireP99),
        new Column("server CPU", r -> percent(r.serverCpuPercent(), 0)),
        new Column("server RSS peak MiB", r -> decimal(r.serverPeakRssMiB(), 0)),
        new Column("client CPU (per frame)", r -> percent(r.clientCpuPercent(), 0) + " (" +
            (null == r.clientCpuNsPerFrame() ? "-" : decimal(r.clientCpuNsPerFrame() / 1_000, 1) + " us") + ")"),
        new Column("feed drops", r -> count(r.feedDrops())),
        new Column("writes/s", r -> count(r.writesPerSecond())),
        new Column("entries/write", r -> decimal(r.entriesPerWrite(), 2)),
        new Column("sessions held", r -> count(r.connectionsHeld()) + " of " + count(r.connections())),
        new Column("slowest session (entries)", r -> count(r.slowestSessionEntries())));

    private Report()
    {
    }

    /**
     * Sums the intervals tagged {@code latency} in a load generator's {@code latency.hlog}.
     */
    static Histogram readLatency(final Path hlog) throws IOException
    {
        final Histogram total = new Histogram(3_600_000_000_000L, 3);
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        try
        {
            for (EncodableHistogram interval = reader.nextIntervalHistogram(); null != interval;
                interval = reader.nextIntervalHistogram())
            {
                if ("latency".equals(interval.getTag()) && interval instanceof Histogram)
                {
                    total.add((Histogram)interval);
                }
            }
        }
        finally
        {
            reader.close();
        }
        return total;
    }

    static String html(final String title, final List<String> notes, final List<Run> runs)
    {
        final StringBuilder html = new StringBuilder(16 * 1024)
            .append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .append(escape(title)).append("</title>\n<style>\n")
            .append("body{font-family:sans-serif;margin:2em;color:#222}table{border-collapse:collapse;")
            .append("font-size:13px;margin:0.5em 0 1em}th,td{border:1px solid #ccc;padding:3px 6px;")
            .append("text-align:right}th{background:#f3f3f3}td:first-child{text-align:left}")
            .append("svg text{font-size:12px;font-family:sans-serif}\n</style>\n</head>\n<body>\n<h1>")
            .append(escape(title)).append("</h1>\n");
        for (final String note : notes)
        {
            html.append("<p>").append(escape(note)).append("</p>\n");
        }
        for (final Map.Entry<String, List<Run>> scenario : byScenario(runs).entrySet())
        {
            final List<RunSummary> summaries = scenario.getValue().stream().map(Run::summary).toList();
            html.append("<h2>").append(escape(scenario.getKey())).append("</h2>\n");
            final Scenario shape = Scenario.named(scenario.getKey());
            if (null != shape)
            {
                html.append("<p>").append(escape(shape.describe())).append(". Target: ")
                    .append(escape(Targets.describe(shape.name()))).append(" Verdict: <b>")
                    .append(escape(Targets.verdict(shape.name(), summaries))).append("</b></p>\n");
            }
            appendTable(html, summaries);
            html.append(svg(scenario.getValue())).append('\n');
        }
        return html.append("</body>\n</html>\n").toString();
    }

    /**
     * The same tables in Markdown, one per scenario, for docs/benchmarks.md.
     */
    static String markdown(final List<Run> runs)
    {
        final StringBuilder md = new StringBuilder();
        for (final Map.Entry<String, List<Run>> scenario : byScenario(runs).entrySet())
        {
            md.append("#### ").append(scenario.getKey()).append("\n\n|");
            COLUMNS.forEach(c -> md.append(' ').append(c.header()).append(" |"));
            md.append("\n|").append(" --- |".repeat(COLUMNS.size())).append('\n');
            for (final Run run : scenario.getValue())
            {
                final RunSummary r = run.summary();
                md.append('|');
                if (r.ok())
                {
                    COLUMNS.forEach(c -> md.append(' ').append(c.value().apply(r)).append(" |"));
                }
                else
                {
                    md.append(' ').append(r.server()).append(" | ").append(r.status()).append(" |")
                        .append(" |".repeat(COLUMNS.size() - 2));
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * The gateway's own p99 and how it was found, since the two differ in precision: its exact figure over its last
     * 10 s, or interpolated in its histogram buckets.
     */
    static String gatewayTickToWireP99(final RunSummary r)
    {
        if (null == r.gatewayTickToWireP99Ms())
        {
            return "-";
        }
        return decimal(r.gatewayTickToWireP99Ms(), 2) +
            (ServerRun.TICK_TO_WIRE_FROM_WINDOW.equals(r.gatewayTickToWireP99Source()) ? " (last 10 s)" :
            " (" + r.gatewayTickToWireP99Source() + ")");
    }

    private static Map<String, List<Run>> byScenario(final List<Run> runs)
    {
        final Map<String, List<Run>> grouped = new LinkedHashMap<>();
        runs.forEach(run -> grouped.computeIfAbsent(run.summary().scenario(), k -> new ArrayList<>()).add(run));
        return grouped;
    }

    private static void appendTable(final StringBuilder html, final List<RunSummary> runs)
    {
        html.append("<table>\n<tr>");
        COLUMNS.forEach(c -> html.append("<th>").append(escape(c.header())).append("</th>"));
        html.append("</tr>\n");
        for (final RunSummary r : runs)
        {
            html.append("<tr>");
            if (r.ok())
            {
                COLUMNS.forEach(c -> html.append("<td>").append(escape(c.value().apply(r))).append("</td>"));
            }
            else
            {
                html.append("<td>").append(escape(r.server())).append("</td><td colspan=\"")
                    .append(COLUMNS.size() - 1).append("\" style=\"text-align:left\">").append(escape(r.status()))
                    .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    /**
     * Latency (ms, linear) against percentile on HdrHistogram's log scale, x = log10(1 / (1 - p)): 0 at 0 %, 1 at
     * 90 %, 2 at 99 %, ... 5 at 99.999 %, where the plot ends.
     */
    static String svg(final List<Run> runs)
    {
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        final double xMax = Math.log10(100 / (100 - MAX_PLOTTED_PERCENTILE));
        final Map<String, List<double[]>> series = new LinkedHashMap<>();
        double yMax = 0;
        for (final Run run : runs)
        {
            if (null == run.latency() || 0 == run.latency().getTotalCount())
            {
                continue;
            }
            final List<double[]> points = new ArrayList<>();
            for (final HistogramIterationValue v : run.latency().percentiles(5))
            {
                final double p = Math.min(v.getPercentileLevelIteratedTo(), MAX_PLOTTED_PERCENTILE);
                points.add(new double[] { Math.log10(100 / (100 - p)), v.getValueIteratedTo() / 1e6 });
                yMax = Math.max(yMax, v.getValueIteratedTo() / 1e6);
            }
            series.put(run.summary().server(), points);
        }
        final double yStep = niceStep(yMax / 5);
        final double yTop = Math.max(yStep, Math.ceil(yMax / yStep) * yStep);

        final StringBuilder svg = new StringBuilder(8 * 1024).append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">%n",
            WIDTH, HEIGHT, WIDTH, HEIGHT, WIDTH, HEIGHT));
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" " +
            "stroke=\"#999\"/>%n", LEFT, TOP, plotWidth, plotHeight));
        final String[] xLabels = { "0%", "90%", "99%", "99.9%", "99.99%", "99.999%" };
        for (int i = 0; i < xLabels.length; i++)
        {
            final double x = LEFT + plotWidth * i / xMax;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" " +
                "stroke=\"#eee\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                x, TOP, x, TOP + plotHeight, x, TOP + plotHeight + 16, xLabels[i]));
        }
        for (double y = 0; y <= yTop + yStep / 2; y += yStep)
        {
            final double py = TOP + plotHeight - plotHeight * y / yTop;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" " +
                "stroke=\"#eee\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n",
                LEFT, py, LEFT + plotWidth, py, LEFT - 6, py + 4, trim(y)));
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>%n" +
            "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)\">latency ms</text>%n",
            LEFT + plotWidth / 2, HEIGHT - 8, TOP + plotHeight / 2, TOP + plotHeight / 2));
        int legend = 0;
        for (final Map.Entry<String, List<double[]>> line : series.entrySet())
        {
            final String colour = COLOURS.getOrDefault(line.getKey(), "#666");
            final StringBuilder points = new StringBuilder();
            for (final double[] point : line.getValue())
            {
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + plotWidth * point[0] / xMax,
                    TOP + plotHeight - plotHeight * point[1] / yTop));
            }
            svg.append(String.format(Locale.ROOT, "<polyline data-server=\"%s\" fill=\"none\" stroke=\"%s\" " +
                "stroke-width=\"2\" points=\"%s\"/>%n", escape(line.getKey()), colour, points.toString().trim()));
            final int ly = TOP + 10 + 20 * legend++;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"4\" fill=\"%s\"/>" +
                "<text x=\"%d\" y=\"%d\">%s</text>%n", LEFT + plotWidth + 12, ly, colour, LEFT + plotWidth + 32,
                ly + 5, escape(line.getKey())));
        }
        return svg.append("</svg>").toString();
    }

    /**
     * 1, 2 or 5 times a power of ten, at least {@code rough}.
     */
    static double niceStep(final double rough)
    {
        if (!(rough > 0))
        {
            return 1;
        }
        final double power = Math.pow(10, Math.floor(Math.log10(rough)));
        for (final double factor : new double[] { 1, 2, 5 })
        {
            if (factor * power >= rough)
            {
                return factor * power;
            }
        }
        return 10 * power;
    }

    private static String trim(final double value)
    {
        final String text = String.format(Locale.ROOT, "%.3f", value);
        return text.replaceAll("\\.?0+$", "");
    }

    /**
     * A count or rate without decimals; a figure a run does not have (null in results.json) is "-", here as in
     * {@link #decimal} and {@link #percent}, in the tables and in the runner's lines alike.
     */
    static String count(final Number value)
    {
        return null == value ? "-" : String.format(Locale.ROOT, "%,.0f", value.doubleValue());
    }

    static String decimal(final Double value, final int places)
    {
        return null == value ? "-" : String.format(Locale.ROOT, "%,." + places + "f", value);
    }

    static String percent(final Double value, final int places)
    {
        return null == value ? "-" : String.format(Locale.ROOT, "%." + places + "f %%", value);
    }

    static String escape(final String text)
    {
        return null == text ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\"", "&quot;");
    }
}
