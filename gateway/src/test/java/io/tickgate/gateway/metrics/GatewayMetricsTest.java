package io.tickgate.gateway.metrics;

import org.agrona.concurrent.status.AtomicCounter;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayMetricsTest
{
    private static final Pattern RECORDED = Pattern.compile("(?m)^tickgate_recording_ticks_total (\\S+)$");
    private static final Pattern INGESTED =
        Pattern.compile("(?m)^tickgate_ticks_ingested_total\\{source=\"udp\"} (\\S+)$");

    @Test
    void shouldNeverShowTicksRecordedAheadOfTicksIngestedInOneScrape() throws Exception
    {
        try (GatewayMetrics metrics = new GatewayMetrics())
        {
            // Created as the gateway creates them: what has passed the ingest counter first.
            final AtomicCounter recorded = metrics.counter("tickgate.recording.ticks", "Ticks recorded");
            final AtomicCounter ingested =
                metrics.counter("tickgate.ticks.ingested", "Ticks ingested", "source", "udp");
            final AtomicBoolean running = new AtomicBoolean(true);
            // A tick is ingested, then recorded: recorded <= ingested at every moment.
            final Thread feed = new Thread(() ->
            {
                while (running.get())
                {
                    ingested.incrementRelease();
                    recorded.incrementRelease();
                }
            });
            feed.start();
            try
            {
                for (int scrape = 0; scrape < 500; scrape++)
                {
                    final String text = metrics.scrape();
                    final double recordedValue = value(RECORDED, text);
                    final double ingestedValue = value(INGESTED, text);
                    assertThat(recordedValue).as("recorded in scrape %d of:%n%s", scrape, text)
                        .isLessThanOrEqualTo(ingestedValue);
                }
            }
            finally
            {
                running.set(false);
                feed.join();
            }
            assertThat(value(INGESTED, metrics.scrape())).as("the counters moved while scraped").isPositive();
        }
    }

    @Test
    void shouldExportWhatCountersHoldAtTheScrape()
    {
        try (GatewayMetrics metrics = new GatewayMetrics())
        {
            final AtomicCounter ingested =
                metrics.counter("tickgate.ticks.ingested", "Ticks ingested", "source", "udp");
            final AtomicCounter open = metrics.gaugeCounter("tickgate.sessions.open", "Sessions open");
            ingested.increment();
            ingested.increment();
            open.increment();

            final String first = metrics.scrape();
            assertThat(value(INGESTED, first)).isEqualTo(2.0);
            assertThat(first).containsPattern("(?m)^tickgate_sessions_open 1.0$");

            open.decrement();
            ingested.increment();
            final String second = metrics.scrape();
            assertThat(value(INGESTED, second)).isEqualTo(3.0);
            assertThat(second).containsPattern("(?m)^tickgate_sessions_open 0.0$");
        }
    }

    private static double value(final Pattern pattern, final String scrape)
    {
        final Matcher matcher = pattern.matcher(scrape);
        assertThat(matcher.find()).as("%s in:%n%s", pattern, scrape).isTrue();
        return Double.parseDouble(matcher.group(1));
    }
}
