package io.tickgate.gateway;

import io.tickgate.client.ClientError;
import io.tickgate.client.ConnectionStatus;
import io.tickgate.client.MarketData;
import io.tickgate.client.SubscribeResult;
import io.tickgate.client.TickgateClient;
import io.tickgate.client.TickgateListener;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Java client ({@code clients/java}) against a real gateway on loopback fed real datagrams. These live in the
 * gateway's test tree because the gateway depends on the client (for {@code tickgate watch}), so the client may not
 * depend on the gateway, not even for tests.
 */
class TickgateClientSystemTest
{
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final List<String> events = new CopyOnWriteArrayList<>();
    private final List<String> snapshotUpdates = new CopyOnWriteArrayList<>();
    private final MarketData read = new MarketData();
    private Gateway gateway;
    private TestFeed feed;
    private TickgateClient client;

    @AfterEach
    void tearDown()
    {
        if (null != client)
        {
            client.close();
        }
        if (null != feed)
        {
            feed.close();
        }
        if (null != gateway)
        {
            gateway.close();
        }
    }

    private void launch(final int httpPort)
    {
        gateway = Gateway.launch(new Gateway.Context().bindAddress("127.0.0.1").httpPort(httpPort).feedPort(0)
            .heartbeatNs(TimeUnit.MILLISECONDS.toNanos(200)));
        feed = new TestFeed(gateway.feedAddress());
    }

    private void awaitSeq(final String symbol, final long seq)
    {
        Tests.await(TIMEOUT, () -> null != gateway.registry().byName(symbol) &&
            gateway.cache().seq(gateway.registry().byName(symbol).sid()) >= seq, () -> symbol + " never at seq " + seq);
    }

    private void connectClient()
    {
        client = TickgateClient.connect(new TickgateClient.Context()
            .uri(URI.create("ws://127.0.0.1:" + gateway.httpAddress().getPort() + "/ws"))
            .heartbeatIntervalNs(TimeUnit.MILLISECONDS.toNanos(200))
            .reconnectInitialDelayNs(TimeUnit.MILLISECONDS.toNanos(50))
            .reconnectMaxDelayNs(TimeUnit.MILLISECONDS.toNanos(500))
            .unknownSymbolRetryNs(TimeUnit.MILLISECONDS.toNanos(200))
            .listener(new TickgateListener()
            {
                @Override
                public void onUpdate(final MarketData data, final boolean snapshot)
                {
                    if (snapshot)
                    {
                        snapshotUpdates.add(data.symbol() + " " + data.bidPrice());
                    }
                }

                @Override
                public void onStatus(final ConnectionStatus status, final String detail)
                {
                    events.add(status + " " + detail);
                }

                @Override
                public void onError(final ClientError error, final String message)
                {
                    events.add(error + " " + message);
                }
            }));
    }

    private long bid(final String symbol)
    {
        return client.read(symbol, read) && read.hasValue() ? read.bidPrice() : -1;
    }

    @Test
    void shouldReceiveSnapshotOnSubscribeThenUpdates() throws Exception
    {
        launch(0);
        feed.define(1, "AAPL", 4, 0).define(2, "MSFT", 4, 0);
        feed.quote(1, 1_890_000, 100, 1_890_100, 200).trade(1, 1_890_050, 7).flush();
        awaitSeq("AAPL", 2);
        connectClient();

        final SubscribeResult result = client.subscribe("AAPL", "MSFT", "NOPE").get(10, TimeUnit.SECONDS);

        assertThat(result.accepted()).containsExactly("AAPL", "MSFT");
        assertThat(result.rejected()).containsEntry("NOPE", "UNKNOWN_SYMBOL");
        Tests.await(TIMEOUT, () -> 1_890_000 == bid("AAPL"), () -> "no snapshot: " + events);
        assertThat(snapshotUpdates).containsExactly("AAPL 1890000");
        client.read("AAPL", read);
        assertThat(read.seq()).isEqualTo(2);
        assertThat(read.lastPrice()).isEqualTo(1_890_050);
        assertThat(read.priceScale()).isEqualTo(4);
        client.read("MSFT", read);
        assertThat(read.hasValue()).as("MSFT has no value at the gateway").isFalse();

        feed.quote(2, 4_150_000, 10, 4_150_100, 10).quote(1, 1_890_200, 1, 1_890_300, 1).flush();
        Tests.await(TIMEOUT, () -> 4_150_000 == bid("MSFT") && 1_890_200 == bid("AAPL"), () -> "no update");
        final TickgateClient.Counters counters = client.counters();
        assertThat(counters.frameGaps()).isZero();
        assertThat(counters.seqRegressions()).isZero();
        assertThat(counters.reconnects()).isZero();
    }

    @Test
    void shouldResubscribeAfterGatewayRestartOnSamePortAndTakeNewSnapshotAsTruth()
    {
        launch(0);
        final int port = gateway.httpAddress().getPort();
        feed.define(1, "AAPL", 4, 0);
        for (int i = 0; i < 5; i++)
        {
            feed.quote(1, 1_000 + i, 1, 1_001 + i, 1).flush();
        }
        awaitSeq("AAPL", 5);
        connectClient();
        client.subscribe("AAPL");
        Tests.await(TIMEOUT, () -> 1_004 == bid("AAPL"), () -> "no first value: " + events);

        gateway.close();
        feed.close();
        gateway = null;
        Tests.await(TIMEOUT, () -> ConnectionStatus.RECONNECTING == client.status(), () -> "no reconnecting");

        // A new gateway on the same port: sids and seqs start afresh (MSFT takes the sid AAPL had).
        launch(port);
        feed.define(2, "MSFT", 4, 0).define(1, "AAPL", 4, 0);
        feed.quote(1, 7_000, 3, 7_001, 4).flush();
        awaitSeq("AAPL", 1);

        Tests.await(TIMEOUT, () -> 7_000 == bid("AAPL"), () -> "never got the new gateway's value: " + events);
        client.read("AAPL", read);
        assertThat(read.seq()).as("lower than before the restart, and taken").isEqualTo(1);
        assertThat(read.askSize()).isEqualTo(4);
        assertThat(read.sid()).isEqualTo(gateway.registry().byName("AAPL").sid());
        final TickgateClient.Counters counters = client.counters();
        assertThat(counters.reconnects()).isGreaterThanOrEqualTo(1);
        assertThat(counters.seqRegressions()).isZero();
        assertThat(counters.frameGaps()).isZero();
        assertThat(events).anyMatch(e -> e.startsWith("CONNECTION_LOST closed by the gateway: 1001"));
        assertThat(events).anyMatch(e -> e.startsWith("CONNECTED reconnected"));

        feed.quote(1, 7_100, 3, 7_101, 4).flush();
        Tests.await(TIMEOUT, () -> 7_100 == bid("AAPL"), () -> "no update after the restart: " + events);
    }

    @Test
    void shouldStayConnectedOnHeartbeatsAlone()
    {
        launch(0);
        feed.define(1, "AAPL", 4, 0);
        connectClient();
        client.subscribe("AAPL");

        // 200 ms heartbeats, a 600 ms watchdog: 10 heartbeats is several watchdog periods with no data.
        Tests.await(TIMEOUT, () -> client.counters().heartbeats() >= 10, () -> "no heartbeats: " + events);

        assertThat(client.counters().watchdogTimeouts()).isZero();
        assertThat(client.counters().reconnects()).isZero();
    }
}
