package io.tickgate.perf.sidebyside;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTest
{
    private static final Scenario SCENARIO = Scenario.named("watchlist");

    private static Histogram histogram(final long... nanos)
    {
        final Histogram histogram = new Histogram(3_600_000_000_000L, 3);
        for (final long value : nanos)
        {
            histogram.recordValue(value);
        }
        return histogram;
    }

    private static List<Report.Run> twoServers()
    {
        final ResourceSampler.Window window = new ResourceSampler.Window(10, 1, 1, 0, 1024, 0, 100, List.of());
        final RunSummary tickgate = RunSummary.of(SCENARIO, ServerKind.TICKGATE,
            RunSummaryTest.loadSummary(10, 4_500, 500, 5_000, 2_000), window,
            new WriteSyscallCounter.Count(1_000, 10, "perf stat"), 5_000, null, null);
        final RunSummary bun = RunSummary.of(SCENARIO, ServerKind.BUN,
            RunSummaryTest.loadSummary(10, 5_000, 0, 5_000, 5_000), window,
            new WriteSyscallCounter.Count(5_000, 10, "perf stat"), 5_000, null, null);
        return List.of(
            new Report.Run(tickgate, histogram(100_000, 200_000, 300_000, 5_000_000)),
            new Report.Run(bun, histogram(150_000, 250_000, 900_000, 12_000_000)),
            new Report.Run(RunSummary.notRun(SCENARIO, ServerKind.WS, "skipped: perf/peers/ws-server.mjs is missing"),
                null));
    }

    private static int count(final String text, final String regex)
    {
        final Matcher matcher = Pattern.compile(regex).matcher(text);
        int count = 0;
        while (matcher.find())
        {
            count++;
        }
        return count;
    }

    @Test
    void shouldDrawOnePolylinePerServerWithAHistogramAndATableRowPerServer()
    {
        final String html = Report.html("Tickgate side by side", List.of("Machine: <2 vCPU>"), twoServers());

        assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        assertThat(count(html, "<polyline ")).isEqualTo(2);
        assertThat(html).contains("<polyline data-server=\"tickgate\"", "<polyline data-server=\"bun\"");
        assertThat(count(html, "<tr>")).as("header + three servers").isEqualTo(4);
        assertThat(html).contains("<td>tickgate</td>", "<td>bun</td>", "<td>ws</td>",
            "skipped: perf/peers/ws-server.mjs is missing", "<td>450</td>");
        assertThat(html).contains("Machine: &lt;2 vCPU&gt;").doesNotContain("<2 vCPU>");
        assertThat(html).as("self-contained").doesNotContain("<script", "<link", "src=");
        for (final String tag : List.of("html", "body", "table", "svg", "h2"))
        {
            assertThat(count(html, "<" + tag + "[ >]")).as("<%s> opened and closed", tag)
                .isEqualTo(count(html, "</" + tag + ">"));
        }
        assertThat(html).contains("99.999%", "latency ms", "Verdict: <b>met</b>");
    }

    @Test
    void shouldPlotPercentilesOnALogScaleEndingAt99Point999()
    {
        final String svg = Report.svg(twoServers());
        final Matcher points = Pattern.compile("data-server=\"bun\"[^>]*points=\"([^\"]+)\"").matcher(svg);
        assertThat(points.find()).isTrue();
        final String[] xy = points.group(1).split(" ");
        double lastX = 0;
        for (final String point : xy)
        {
            final double x = Double.parseDouble(point.split(",")[0]);
            assertThat(x).as("x never goes back").isGreaterThanOrEqualTo(lastX);
            lastX = x;
        }
        assertThat(lastX).as("99.999 % is the right edge of the plot").isEqualTo(630.0);
    }

    @Test
    void shouldRenderTheSameTableInMarkdown()
    {
        final String md = Report.markdown(twoServers());

        assertThat(md).startsWith("#### watchlist\n\n| server |");
        assertThat(md.lines().filter(line -> line.startsWith("| tickgate |"))).hasSize(1);
        assertThat(md).contains("| ws | skipped: perf/peers/ws-server.mjs is missing |");
    }

    @Test
    void shouldReadOnlyTheLatencyIntervalsOfAnHlog(@TempDir final Path dir) throws Exception
    {
        final File file = dir.resolve("latency.hlog").toFile();
        final HistogramLogWriter writer = new HistogramLogWriter(file);
        for (final String tag : List.of("latency", "age", "latency"))
        {
            final Histogram interval = histogram(1_000, 2_000);
            interval.setTag(tag);
            interval.setStartTimeStamp(1_000);
            interval.setEndTimeStamp(2_000);
            writer.outputIntervalHistogram(interval);
        }
        writer.close();

        assertThat(Report.readLatency(file.toPath()).getTotalCount()).isEqualTo(4);
    }

    @Test
    void shouldStepAxesInOnesTwosAndFives()
    {
        assertThat(Report.niceStep(0.7)).isEqualTo(1.0);
        assertThat(Report.niceStep(1.3)).isEqualTo(2.0);
        assertThat(Report.niceStep(3.0)).isEqualTo(5.0);
        assertThat(Report.niceStep(6.0)).isEqualTo(10.0);
        assertThat(Report.niceStep(0)).isEqualTo(1.0);
    }
}
