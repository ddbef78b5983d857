package io.tickgate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tickgate.gateway.conflation.LastValueCache;
import io.tickgate.gateway.feed.FeedSequenceTracker;
import io.tickgate.protocol.FeedDatagramDecoder;
import io.tickgate.protocol.FeedDatagramEncoder;
import io.tickgate.protocol.FeedDecodeResult;
import io.tickgate.protocol.FeedHeaderFlyweight;
import io.tickgate.protocol.FeedMessageDescriptor;
import io.tickgate.protocol.FrameDescriptor;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input end to end (PROTOCOL.md 1.1, 1.2 and 2): malformed, unknown, late and duplicate feed datagrams, and
 * malformed client requests, against a real gateway on loopback with a real UDP feed and real WebSocket clients.
 * None of it may stop ingest, move a value backwards, close a session or change its subscriptions.
 */
class BadInputSystemTest
{
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** A bid no valid datagram carries: if any dropped datagram were applied, a client would see it. */
    private static final long POISON = -777_777L;
    private static final int MAX_TEXT = 64 * 1024;

    private GatewayFixture fixture;
    private Gateway gateway;
    private TestFeed feed;
    private final List<WebSocket> rawSockets = new ArrayList<>();

    private void start()
    {
        // Stale transitions bump a symbol's seq and add entries of their own; keep them out of the accounting on a
        // loaded machine by making the feed-quiet threshold far longer than any test.
        fixture = GatewayFixture.launch(ctx -> ctx.staleAfterNs(TimeUnit.SECONDS.toNanos(120)));
        gateway = fixture.gateway;
        feed = fixture.feed;
    }

    private TestClient client()
    {
        return fixture.client();
    }

    @AfterEach
    void tearDown()
    {
        rawSockets.forEach(WebSocket::abort);
        if (null != fixture)
        {
            fixture.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ feed input

    /**
     * {@code copies} datagrams of every hand-built malformed kind, then 200 random invalid ones, each counted in
     * {@code expected} under the reason the gateway must give.
     */
    private static List<byte[]> everyMalformedKind(final int copies, final Random random, final long[] expected)
    {
        final List<byte[]> bad = new ArrayList<>();
        for (int copy = 0; copy < copies; copy++)
        {
            bad.add(expectReason(badMagic(), FeedDecodeResult.BAD_MAGIC, expected));
            bad.add(expectReason(shortHeader(), FeedDecodeResult.SHORT_HEADER, expected));
            bad.add(expectReason(countOverrun(), FeedDecodeResult.COUNT_OVERRUN, expected));
            bad.add(expectReason(lengthOverrun(), FeedDecodeResult.LENGTH_OVERRUN, expected));
            bad.add(expectReason(validQuoteThenLengthOverrun(), FeedDecodeResult.LENGTH_OVERRUN, expected));
            bad.add(expectReason(zeroLength(0), FeedDecodeResult.ZERO_LENGTH, expected));
            bad.add(expectReason(zeroLength(2), FeedDecodeResult.ZERO_LENGTH, expected));
            bad.add(expectReason(shortMessage(FeedMessageDescriptor.TYPE_QUOTE, 20), FeedDecodeResult.SHORT_MESSAGE,
                expected));
            bad.add(expectReason(shortMessage(FeedMessageDescriptor.TYPE_TRADE, FeedMessageDescriptor.TRADE_LENGTH - 1),
                FeedDecodeResult.SHORT_MESSAGE, expected));
            bad.add(expectReason(
                shortMessage(FeedMessageDescriptor.TYPE_DEFINITION, FeedMessageDescriptor.DEFINITION_LENGTH - 1),
                FeedDecodeResult.SHORT_MESSAGE, expected));
            bad.add(expectReason(tooLong(), FeedDecodeResult.TOO_LONG, expected));
            bad.add(expectReason(badSymbol(new byte[0]), FeedDecodeResult.BAD_SYMBOL, expected));
            bad.add(expectReason(badSymbol(new byte[] { 0, 'A', 'B', 'C' }), FeedDecodeResult.BAD_SYMBOL, expected));
            bad.add(expectReason(badSymbol("caf\u00e9".getBytes(StandardCharsets.UTF_8)), FeedDecodeResult.BAD_SYMBOL,
                expected));
            bad.add(expectReason(badSymbol("BRK B".getBytes(StandardCharsets.US_ASCII)), FeedDecodeResult.BAD_SYMBOL,
                expected));
        }
        for (int i = 0; i < 200; i++)
        {
            bad.add(randomInvalid(random, 0 == (i & 1), expected));
        }
        return bad;
    }

    @Test
    void shouldDropEveryMalformedDatagramKindAndKeepEveryValidTick() throws Exception
    {
        start();
        feed.define(1, "BADIN", 4, 0);
        awaitSymbol("BADIN");
        final int sid = sid("BADIN");
        final TestClient client = client();
        client.awaitReply(client.subscribe("BADIN"));

        final long[] expected = new long[FeedDecodeResult.REASON_COUNT];
        final int copies = 3;
        final Random random = new Random(0x7EC6A7EL);
        final List<byte[]> bad = everyMalformedKind(copies, random, expected);
        Collections.shuffle(bad, random);

        long datagrams = datagrams();
        int valid = 0;
        for (int i = 0; i < bad.size(); i++)
        {
            if (0 == i % 4)
            {
                valid++;
                feed.quote(1, 1_000 + valid, valid, 2_000 + valid, valid).flush();
                datagrams++;
            }
            feed.sendRaw(bad.get(i));
            datagrams++;
            if (24 == i % 25)
            {
                // Paced so the socket's receive buffer never overflows on a busy machine: UDP loss is not under test.
                awaitDatagrams(datagrams);
            }
        }
        valid++;
        feed.quote(1, 1_000 + valid, valid, 2_000 + valid, valid).flush();
        datagrams++;
        awaitDatagrams(datagrams);

        final long lastBid = 1_000 + valid;
        final int validQuotes = valid;
        awaitBid(client, sid, lastBid);

        final TestClient.Entry last = client.latest(sid);
        assertThat(last.bidPrice()).isEqualTo(lastBid);
        assertThat(last.askPrice()).isEqualTo(2_000 + validQuotes);
        assertThat(last.bidSize()).isEqualTo(validQuotes);
        assertThat(last.seq()).isEqualTo(validQuotes);
        final List<TestClient.Entry> entries = client.entries(sid);
        assertThat(entries).noneMatch(entry -> entry.bidPrice() == POISON);
        assertThat(accounted(entries)).as("sum of 1 + conflated over every entry").isEqualTo(validQuotes);

        for (int reason = 1; reason < FeedDecodeResult.REASON_COUNT; reason++)
        {
            assertThat(malformed(reason)).as("malformed " + FeedDecodeResult.name(reason)).isEqualTo(expected[reason]);
        }
        for (final int reason : new int[] { FeedDecodeResult.BAD_MAGIC, FeedDecodeResult.SHORT_HEADER,
            FeedDecodeResult.COUNT_OVERRUN, FeedDecodeResult.LENGTH_OVERRUN, FeedDecodeResult.ZERO_LENGTH,
            FeedDecodeResult.SHORT_MESSAGE, FeedDecodeResult.TOO_LONG, FeedDecodeResult.BAD_SYMBOL })
        {
            assertThat(malformed(reason)).as("hand-built " + FeedDecodeResult.name(reason))
                .isGreaterThanOrEqualTo(copies);
        }
        assertThat(feedCounter("ticks_ingested")).isEqualTo(validQuotes);
        assertThat(feedCounter("definitions")).isEqualTo(1);
        assertThat(feedCounter("unknown_instruments")).isZero();
        assertThat(feedCounter("unknown_message_types")).isZero();
        assertThat(feedCounter("gaps")).isZero();
        assertThat(feedCounter("missing_messages")).isZero();
        assertThat(feedCounter("duplicates")).isZero();
        assertThat(feedCounter("out_of_order")).isZero();
        assertThat(feedCounter("restarts")).isZero();
        assertThat(metric("tickgate_errors_total")).isZero();
        assertThat(gateway.registry().count()).as("no definition in a dropped datagram registered").isEqualTo(1);

        final JsonNode health = health();
        assertThat(health.get("status").asText()).isEqualTo("UP");
        assertThat(health.get("feed").asText()).isEqualTo("receiving");
        assertThat(health.get("heartbeatMs").asLong()).as("the default --heartbeat-ms").isEqualTo(1_000);
        assertThat(client.closeCode).isEqualTo(-1);
    }

    @Test
    void shouldCountUnknownInstrumentUntilDefinitionArrives()
    {
        start();
        feed.define(1, "KNOWN", 2, 0);
        awaitSymbol("KNOWN");
        final TestClient client = client();
        final JsonNode early = client.awaitReply(client.subscribe("LATE"));
        assertThat(early.get("rejected").get(0).get("reason").asText()).isEqualTo("UNKNOWN_SYMBOL");

        for (int i = 1; i <= 4; i++)
        {
            feed.quote(7, POISON, i, POISON + 1, i).flush();
        }
        feed.quote(7, POISON, 5, POISON + 1, 5).quote(1, 10, 1, 11, 1).flush();
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("unknown_instruments") >= 5,
            () -> "unknown instruments " + feedCounter("unknown_instruments"));
        Tests.await(Duration.ofSeconds(10), () -> gateway.cache().seq(sid("KNOWN")) >= 1,
            () -> "the defined instrument stopped flowing");
        assertThat(feedCounter("unknown_instruments")).isEqualTo(5);
        assertThat(feedCounter("ticks_ingested")).isEqualTo(1);
        assertThat(gateway.registry().byName("LATE")).isNull();

        feed.define(7, "LATE", 2, 0);
        awaitSymbol("LATE");
        final int sid = sid("LATE");
        assertThat(gateway.cache().seq(sid)).as("no dropped quote left a value").isZero();
        final JsonNode reply = client.awaitReply(client.subscribe("LATE"));
        assertThat(reply.get("symbols").get(0).get("sid").asInt()).isEqualTo(sid);
        assertThat(reply.get("rejected")).isEmpty();

        feed.quote(7, 500, 3, 501, 4).flush();
        Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid) && client.latest(sid).bidPrice() == 500,
            () -> "LATE never flowed after its definition: " + client.latest(sid));
        final TestClient.Entry entry = client.latest(sid);
        assertThat(entry.askPrice()).isEqualTo(501);
        assertThat(entry.seq()).isEqualTo(1);
        assertThat(accounted(client.entries(sid))).isEqualTo(1);
        assertThat(client.entries(sid)).noneMatch(e -> e.bidPrice() == POISON);
        assertThat(feedCounter("unknown_instruments")).isEqualTo(5);
        assertThat(feedCounter("ticks_ingested")).isEqualTo(2);
        assertThat(feedCounter("gaps")).isZero();
        assertThat(metric("tickgate_errors_total")).isZero();
    }

    /**
     * Clients learn a symbol's scales once, in their subscribed reply: a definition that changes them would have
     * them read every later tick at the wrong scale (a bid of 99,000 at scale 5 shown as 990.00). It is refused and
     * counted, that instrument's ticks are dropped as undefined, and clients keep the last good value, marked stale
     * at once (it is frozen while the source goes on ticking other symbols) until the symbol ticks again.
     */
    @Test
    void shouldRefuseADefinitionThatChangesAKnownSymbolsScales()
    {
        start();
        feed.define(1, "KDB", 2, 0);
        awaitSymbol("KDB");
        final int sid = sid("KDB");
        final TestClient client = client();
        client.awaitReply(client.subscribe("KDB"));
        feed.quote(1, 99, 1, 100, 1).flush();
        awaitBid(client, sid, 99);

        feed.define(2, "KDO", 2, 0).quote(2, 50, 1, 51, 1).flush();
        awaitSymbol("KDO");
        final int other = sid("KDO");
        client.awaitReply(client.subscribe("KDO"));
        awaitBid(client, other, 50);

        feed.define(1, "KDB", 5, 3).quote(1, 99_000, 1_000, 100_000, 1_000).flush();
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("definitions_refused") == 1,
            () -> "refused definitions: " + feedCounter("definitions_refused"));
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("unknown_instruments") == 1,
            () -> "the rescaled tick was not dropped: " + feedCounter("unknown_instruments"));
        Tests.await(Duration.ofSeconds(10), () -> isStale(client.latest(sid)),
            () -> "the frozen symbol is not marked stale: " + client.latest(sid));
        assertThat(client.latest(sid).bidPrice()).as("the last good value, kept").isEqualTo(99);
        // The source goes on; its other symbol is live, and the frozen one stays stale through its ticks.
        feed.quote(2, 52, 1, 53, 1).quote(1, 99_001, 1_000, 100_001, 1_000).quote(2, 54, 1, 55, 1).flush();
        awaitBid(client, other, 54);
        assertThat(isStale(client.latest(other))).isFalse();
        assertThat(isStale(client.latest(sid))).isTrue();
        Tests.await(Duration.ofSeconds(10), () -> metric("tickgate_symbols_stale") == 1,
            () -> "stale symbols: " + metric("tickgate_symbols_stale"));
        assertThat(gateway.registry().byName("KDB").priceScale()).isEqualTo(2);
        final TestClient late = client();
        final JsonNode reply = late.awaitReply(late.subscribe("KDB"));
        assertThat(reply.get("symbols").get(0).get("priceScale").asInt()).isEqualTo(2);
        assertThat(reply.get("symbols").get(0).get("sizeScale").asInt()).isEqualTo(0);

        // The source goes back to the scales clients hold (under any instrument id): its ticks flow again.
        feed.define(3, "KDB", 2, 0).flush();
        Tests.await(Duration.ofSeconds(10), () -> !isStale(client.latest(sid)),
            () -> "named again by a live source, still stale: " + client.latest(sid));
        assertThat(client.latest(sid).bidPrice()).isEqualTo(99);
        feed.quote(3, 101, 1, 102, 1).flush();
        awaitBid(client, sid, 101);
        assertThat(client.entries(sid)).noneMatch(entry -> entry.bidPrice() == 99_000);
        assertThat(feedCounter("definitions_refused")).isEqualTo(1);
        assertThat(accounted(client.entries(sid))).as("two ticks, and the stale flag set and cleared as entries")
            .isEqualTo(4);
        assertThat(metric("tickgate_errors_total")).isZero();
    }

    /**
     * A symbol is mapped from one instrument id at a time: a source that renumbers its instruments (daily, say)
     * moves each symbol to its new id and the old id names nothing, so the gateway's map stays within the symbol
     * table however many ids a source goes through (each kept id grew it for good).
     */
    @Test
    void shouldMoveASymbolToTheInstrumentIdItIsRedefinedUnder()
    {
        start();
        feed.define(1, "RNB", 2, 0).quote(1, 10, 1, 11, 1).flush();
        awaitSymbol("RNB");
        final int sid = sid("RNB");
        final TestClient client = client();
        client.awaitReply(client.subscribe("RNB"));
        feed.quote(1, 12, 1, 13, 1).flush();
        awaitBid(client, sid, 12);

        feed.define(2, "RNB", 2, 0).quote(1, 14, 1, 15, 1).quote(2, 16, 1, 17, 1).flush();
        awaitBid(client, sid, 16);
        assertThat(client.entries(sid)).noneMatch(entry -> entry.bidPrice() == 14);
        assertThat(client.entries(sid)).as("moved, never without an id: never stale")
            .noneMatch(entry -> isStale(entry));
        assertThat(feedCounter("unknown_instruments")).isEqualTo(1);

        // A source renumbering all its instruments in one datagram, in any order, moves them: none goes stale.
        feed.define(5, "RNC", 2, 0).define(6, "RND", 2, 0).quote(5, 30, 1, 31, 1).quote(6, 40, 1, 41, 1).flush();
        awaitSymbol("RND");
        client.awaitReply(client.subscribe("RNC", "RND"));
        feed.defineInOneDatagram(2, 0, 5, "RNX", 6, "RNC", 7, "RND");
        feed.quote(6, 32, 1, 33, 1).quote(7, 42, 1, 43, 1).flush();
        awaitBid(client, sid("RNC"), 32);
        awaitBid(client, sid("RND"), 42);
        assertThat(client.entries(sid("RNC"))).as("RNC, moved").noneMatch(entry -> isStale(entry));
        assertThat(client.entries(sid("RND"))).as("RND, moved").noneMatch(entry -> isStale(entry));
        assertThat(client.latest(sid("RNC")).seq()).as("two ticks, no stale flag set and cleared").isEqualTo(2);

        // The old id may name another symbol now; the moved one keeps its new id.
        feed.define(1, "OTH", 2, 0).quote(1, 20, 1, 21, 1).quote(2, 18, 1, 19, 1).flush();
        awaitBid(client, sid, 18);
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("ticks_ingested") == 9,
            () -> "ticks ingested: " + feedCounter("ticks_ingested"));
        assertThat(gateway.registry().byName("OTH")).isNotNull();
        assertThat(feedCounter("unknown_instruments")).isEqualTo(1);
        assertThat(metric("tickgate_errors_total")).isZero();
    }

    /**
     * With the symbol table full, an id redefined as a new symbol names nothing: its ticks are dropped as
     * undefined, never applied to the symbol the id named before (they were, with the other symbol's prices).
     */
    @Test
    void shouldNotApplyTicksOfASymbolWithNoPlaceToTheSymbolItsIdNamedBefore()
    {
        fixture = GatewayFixture.launch(ctx -> ctx.staleAfterNs(TimeUnit.SECONDS.toNanos(120)).symbolCapacity(1));
        gateway = fixture.gateway;
        feed = fixture.feed;
        feed.define(5, "ONE", 2, 0).quote(5, 10, 1, 11, 1).flush();
        awaitSymbol("ONE");
        final int sid = sid("ONE");
        final TestClient client = client();
        client.awaitReply(client.subscribe("ONE"));
        awaitBid(client, sid, 10);

        feed.define(5, "TWO", 2, 0).quote(5, 99, 1, 100, 1).flush();
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("unknown_instruments") == 1,
            () -> "the tick of the symbol with no place was not dropped: " + feedCounter("unknown_instruments"));
        assertThat(metric("tickgate_symbols_table_full_total{source=\"udp\"}")).isEqualTo(1);
        feed.define(6, "ONE", 2, 0).quote(6, 12, 1, 13, 1).flush();
        awaitBid(client, sid, 12);
        assertThat(client.entries(sid)).noneMatch(entry -> entry.bidPrice() == 99);
        assertThat(gateway.registry().byName("TWO")).isNull();
    }

    @Test
    void shouldSkipUnknownMessageTypeAndApplyTheRest()
    {
        start();
        feed.define(1, "MIX", 4, 0);
        awaitSymbol("MIX");
        final int sid = sid("MIX");
        final TestClient client = client();
        client.awaitReply(client.subscribe("MIX"));

        // Built by hand from here on: TestFeed's numbering does not know about them, so it is not used again.
        final long firstSeq = feed.nextSeq();
        final ByteBuffer mixed = header(FeedHeaderFlyweight.HEADER_LENGTH + 48 + 12 + 48, FeedHeaderFlyweight.MAGIC, 3,
            firstSeq);
        putQuote(mixed, 1, 100);
        mixed.putShort((short)12).put((byte)'X').put((byte)0).putInt(1).putInt(0xDEADBEEF);
        putQuote(mixed, 1, 200);
        feed.sendRaw(validDatagram(mixed));

        Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid) && client.latest(sid).bidPrice() == 200,
            () -> "second quote of the mixed datagram never arrived: " + client.latest(sid));
        assertThat(feedCounter("unknown_message_types")).isEqualTo(1);
        assertThat(feedCounter("ticks_ingested")).isEqualTo(2);
        assertThat(accounted(client.entries(sid))).as("both quotes applied").isEqualTo(2);

        // The unknown message had a seq of its own: the next datagram continues after it without a gap. This one
        // holds the smallest message a receiver can skip (length and type only) before its quote.
        final ByteBuffer next = header(FeedHeaderFlyweight.HEADER_LENGTH + 3 + 48, FeedHeaderFlyweight.MAGIC, 2,
            firstSeq + 3);
        next.putShort((short)3).put((byte)0x7F);
        putQuote(next, 1, 300);
        feed.sendRaw(validDatagram(next));

        Tests.await(Duration.ofSeconds(10), () -> client.latest(sid).bidPrice() == 300,
            () -> "quote after a 3-byte unknown message never arrived: " + client.latest(sid));
        assertThat(feedCounter("unknown_message_types")).isEqualTo(2);
        assertThat(feedCounter("ticks_ingested")).isEqualTo(3);
        assertThat(accounted(client.entries(sid))).isEqualTo(3);
        assertThat(client.latest(sid).seq()).isEqualTo(3);
        assertThat(feedCounter("gaps")).isZero();
        assertThat(feedCounter("duplicates")).isZero();
        assertThat(feedCounter("out_of_order")).isZero();
        for (int reason = 1; reason < FeedDecodeResult.REASON_COUNT; reason++)
        {
            assertThat(malformed(reason)).as("malformed " + FeedDecodeResult.name(reason)).isZero();
        }
        assertThat(metric("tickgate_errors_total")).isZero();
    }

    @Test
    void shouldCountGapDuplicateAndOutOfOrderDatagrams()
    {
        start();
        final int sid;
        final TestClient client = client();
        feed.sendRaw(definitionDatagram(1, 1, "SEQ"));
        awaitSymbol("SEQ");
        sid = sid("SEQ");
        client.awaitReply(client.subscribe("SEQ"));

        feed.sendRaw(quoteDatagram(2, 1, 2)).sendRaw(quoteDatagram(3, 1, 3));
        awaitBid(client, sid, 3);
        assertThat(feedCounter("gaps")).isZero();

        feed.sendRaw(quoteDatagram(5, 1, 5));
        awaitBid(client, sid, 5);
        assertThat(feedCounter("gaps")).isEqualTo(1);
        assertThat(feedCounter("missing_messages")).isEqualTo(1);

        // Late datagrams are counted and dropped, never applied: applying them would move the latest value
        // backwards (the gateway cannot tell an old value from a new one once the newer seq has been applied).
        feed.sendRaw(quoteDatagram(3, 1, 33));
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("duplicates") >= 1,
            () -> "duplicate never counted");
        feed.sendRaw(quoteDatagram(4, 1, 44));
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("out_of_order") >= 1,
            () -> "out-of-order datagram never counted");

        final LastValueCache.ValueView view = new LastValueCache.ValueView();
        gateway.cache().read(sid, view);
        assertThat(view.bidPrice).as("latest value after late datagrams").isEqualTo(5);
        assertThat(view.seq).isEqualTo(3);

        // In order again after the late ones: no new gap, so they did not move the expected seq either.
        feed.sendRaw(quoteDatagram(6, 1, 6));
        awaitBid(client, sid, 6);
        assertThat(feedCounter("gaps")).isEqualTo(1);
        assertThat(feedCounter("missing_messages")).isEqualTo(1);
        assertThat(feedCounter("duplicates")).isEqualTo(1);
        assertThat(feedCounter("out_of_order")).isEqualTo(1);
        assertThat(feedCounter("restarts")).isZero();
        assertThat(feedCounter("ticks_ingested")).isEqualTo(4);
        final List<TestClient.Entry> entries = client.entries(sid);
        assertThat(entries).noneMatch(entry -> entry.bidPrice() == 33 || entry.bidPrice() == 44);
        assertThat(accounted(entries)).isEqualTo(4);
        long previousSeq = 0;
        long previousBid = 0;
        for (final TestClient.Entry entry : entries)
        {
            assertThat(entry.seq()).isGreaterThan(previousSeq);
            assertThat(entry.bidPrice()).as("value never moves backwards").isGreaterThan(previousBid);
            previousSeq = entry.seq();
            previousBid = entry.bidPrice();
        }
        assertThat(client.latest(sid).seq()).isEqualTo(4);
        assertThat(metric("tickgate_errors_total")).isZero();
    }

    /**
     * One stray datagram numbered far ahead (past 2^63: seqs are unsigned) must not stop ingest: the source's own
     * datagrams, late against it, are dropped only until {@code RESYNC_AFTER_LATE_DATAGRAMS} of them have followed
     * on from each other, and then ingest goes on from there. The missing-messages counter stays exportable.
     */
    @Test
    void shouldResumeFromTheSourceAfterAStrayDatagramFarAhead()
    {
        start();
        final TestClient client = client();
        feed.sendRaw(definitionDatagram(1, 1, "SEQ"));
        awaitSymbol("SEQ");
        final int sid = sid("SEQ");
        client.awaitReply(client.subscribe("SEQ"));
        feed.sendRaw(quoteDatagram(2, 1, 2)).sendRaw(quoteDatagram(3, 1, 3));
        awaitBid(client, sid, 3);

        final long stray = Long.MIN_VALUE + 5;
        feed.sendRaw(quoteDatagram(stray, 1, 999));
        awaitBid(client, sid, 999);
        assertThat(feedCounter("gaps")).as("a jump ahead, unsigned, is a gap").isEqualTo(1);
        assertThat(metric("tickgate_feed_missing_messages_total{source=\"udp\"}"))
            .as("held at the largest count, never wrapped negative").isEqualTo((double)Long.MAX_VALUE);

        final int resyncAfter = FeedSequenceTracker.RESYNC_AFTER_LATE_DATAGRAMS;
        for (int i = 0; i < resyncAfter - 1; i++)
        {
            feed.sendRaw(quoteDatagram(4 + i, 1, 4 + i));
        }
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("out_of_order") == resyncAfter - 1,
            () -> "late datagrams counted: " + feedCounter("out_of_order"));
        final LastValueCache.ValueView view = new LastValueCache.ValueView();
        gateway.cache().read(sid, view);
        assertThat(view.bidPrice).as("dropped until the run is long enough").isEqualTo(999);
        assertThat(feedCounter("restarts")).isZero();

        final long resumeSeq = 4 + resyncAfter - 1;
        feed.sendRaw(quoteDatagram(resumeSeq, 1, resumeSeq));
        awaitBid(client, sid, resumeSeq);
        assertThat(feedCounter("restarts")).as("taken as the source starting over from there").isEqualTo(1);
        feed.sendRaw(quoteDatagram(resumeSeq + 1, 1, resumeSeq + 1));
        awaitBid(client, sid, resumeSeq + 1);
        assertThat(feedCounter("gaps")).isEqualTo(1);
        assertThat(feedCounter("out_of_order")).isEqualTo(resyncAfter - 1);
        assertThat(accounted(client.entries(sid))).as("2, 3, the stray, the resumed two").isEqualTo(5);

        // And seqs past 2^63 order as unsigned numbers: a datagram below the stray is late, not ahead of it.
        feed.sendRaw(quoteDatagram(stray, 1, 1_000)).sendRaw(quoteDatagram(stray + 1, 1, 1_001));
        awaitBid(client, sid, 1_001);
        feed.sendRaw(quoteDatagram(stray - 1, 1, 50));
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("out_of_order") == resyncAfter,
            () -> "datagram behind an unsigned seq past 2^63 not counted late: " + feedCounter("out_of_order"));
        feed.sendRaw(quoteDatagram(stray + 2, 1, 1_002));
        awaitBid(client, sid, 1_002);
        assertThat(client.entries(sid)).noneMatch(entry -> entry.bidPrice() == 50);
        assertThat(metric("tickgate_errors_total")).isZero();
    }

    /**
     * Datagrams held back on the way and arriving after the newer ones, more of them in a row than the resume rule
     * counts: the source was seen sending past their gap, so they are late, not a source sending from there, and
     * the symbol's value never goes back to theirs.
     */
    @Test
    void shouldNeverApplyADelayedBurstOfDatagramsTheSourceWentOnPast()
    {
        start();
        final TestClient client = client();
        feed.sendRaw(definitionDatagram(1, 1, "BURST"));
        awaitSymbol("BURST");
        final int sid = sid("BURST");
        client.awaitReply(client.subscribe("BURST"));
        for (long seq = 2; seq <= 10; seq++)
        {
            feed.sendRaw(quoteDatagram(seq, 1, seq));
        }
        for (long seq = 41; seq <= 100; seq++)
        {
            feed.sendRaw(quoteDatagram(seq, 1, seq));
        }
        awaitBid(client, sid, 100);
        for (long seq = 11; seq <= 40; seq++)
        {
            feed.sendRaw(quoteDatagram(seq, 1, seq));
        }
        Tests.await(Duration.ofSeconds(10), () -> feedCounter("out_of_order") == 30,
            () -> "late datagrams counted: " + feedCounter("out_of_order"));
        feed.sendRaw(quoteDatagram(101, 1, 101));
        awaitBid(client, sid, 101);
        assertThat(feedCounter("restarts")).as("a delayed burst is no restart").isZero();
        assertThat(feedCounter("gaps")).as("only the one the burst's delay opened").isEqualTo(1);
        long previous = 0;
        for (final TestClient.Entry entry : client.entries(sid))
        {
            assertThat(entry.bidPrice()).as("bids the client saw, in order").isGreaterThan(previous);
            previous = entry.bidPrice();
        }
    }

    /**
     * Two sources sending to one feed port at once (two replays of recordings that both number their instruments
     * from 1): the one that started last is the feed, and the other's datagrams are dropped and counted; they were
     * applied to the symbols their ids named in the other's numbering, at that symbol's scales. The first sender's
     * symbols the new one does not define go stale rather than look live while the port ticks. An empty datagram
     * from a third address, even at seq 1, starts nothing and takes nothing. Once the current sender has been quiet
     * for a second the other is taken, with no instruments until its definitions come.
     */
    @Test
    void shouldTakeOneSenderAtATimeSoThatTwoSourcesNeverMixTheirInstruments() throws Exception
    {
        startWithTwoSymbols("FIRST", "LEFT");
        final int leftSid = sid("LEFT");
        final TestClient client = subscribedTo("FIRST", "LEFT");
        awaitBid(client, leftSid, 50);
        try (java.nio.channels.DatagramChannel second = senderToFeedPort();
            java.nio.channels.DatagramChannel third = senderToFeedPort())
        {
            second.write(ByteBuffer.wrap(definitionDatagram(1, 1, "SECOND")));
            awaitSymbol("SECOND");
            final int firstSid = sid("FIRST");
            final int secondSid = sid("SECOND");
            client.awaitReply(client.subscribe("SECOND"));
            second.write(ByteBuffer.wrap(quoteDatagram(2, 1, 200)));
            awaitBid(client, secondSid, 200);
            Tests.await(Duration.ofSeconds(10), () -> isStale(client.latest(leftSid)),
                () -> "LEFT, which the new sender does not define, still live: " + client.latest(leftSid));

            feed.sendRaw(quoteDatagram(4, 1, 999));
            final UnsafeBuffer empty = new UnsafeBuffer(new byte[FeedHeaderFlyweight.HEADER_LENGTH]);
            new FeedDatagramEncoder().wrap(empty, 0).begin(1, System.currentTimeMillis() * 1_000_000L);
            third.write(ByteBuffer.wrap(empty.byteArray()));
            // A stray quote numbered 1 starts no feed session either: a source defines its instruments first.
            third.write(ByteBuffer.wrap(quoteDatagram(1, 1, 996)));
            Tests.await(Duration.ofSeconds(10), () -> feedCounter("other_senders") == 3,
                () -> "datagrams from other senders counted: " + feedCounter("other_senders"));
            second.write(ByteBuffer.wrap(quoteDatagram(40, 1, 201)));
            awaitBid(client, secondSid, 201);

            // The second sender is quiet for over a second: the first is taken, its id 1 no longer SECOND's, and
            // its numbering, lower than the second's, is its own.
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1_300));
            feed.sendRaw(quoteDatagram(10, 1, 998));
            Tests.await(Duration.ofSeconds(10), () -> feedCounter("unknown_instruments") == 1,
                () -> "ticks of an undefined instrument: " + feedCounter("unknown_instruments"));
            feed.sendRaw(definitionDatagram(11, 1, "FIRST"));
            feed.sendRaw(quoteDatagram(12, 1, 997));
            awaitBid(client, firstSid, 997);
            assertThat(client.entries(secondSid)).extracting(TestClient.Entry::bidPrice)
                .as("bids SECOND was given").doesNotContain(999L, 998L, 997L, 996L);
            assertThat(client.latest(secondSid).bidPrice()).isEqualTo(201);
            assertThat(feedCounter("other_senders")).isEqualTo(3);
            assertThat(feedCounter("restarts")).as("each sender taking the port").isEqualTo(2);
            assertThat(feedCounter("gaps")).as("only the second sender's own, 3 to 39").isEqualTo(1);
            assertThat(feedCounter("out_of_order") + feedCounter("duplicates")).isZero();
        }
    }

    /**
     * A source restarted from a new port (a new process) takes the port at seq 1 and defines its instruments first,
     * one datagram after another: none of its symbols shows stale on the way, however many datagrams the
     * definitions take.
     */
    @Test
    void shouldKeepARestartedSourcesSymbolsFreshWhenItComesBackFromANewPort() throws Exception
    {
        startWithTwoSymbols("ONE", "TWO");
        feed.sendRaw(quoteDatagram(4, 1, 10));
        final int one = sid("ONE");
        final int two = sid("TWO");
        final TestClient client = subscribedTo("ONE", "TWO");
        awaitBid(client, two, 50);
        try (java.nio.channels.DatagramChannel restarted = senderToFeedPort())
        {
            restarted.write(ByteBuffer.wrap(definitionDatagram(1, 1, "ONE")));
            restarted.write(ByteBuffer.wrap(definitionDatagram(2, 2, "TWO")));
            restarted.write(ByteBuffer.wrap(quoteDatagram(3, 1, 11)));
            restarted.write(ByteBuffer.wrap(quoteDatagram(4, 2, 21)));
            awaitBid(client, one, 11);
            awaitBid(client, two, 21);
        }
        assertThat(feedCounter("restarts")).isEqualTo(1);
        assertThat(feedCounter("other_senders")).isZero();
        assertThat(client.entries(one)).noneMatch(BadInputSystemTest::isStale);
        assertThat(client.entries(two)).as("defined in the restarted source's second datagram")
            .noneMatch(BadInputSystemTest::isStale);
    }

    /**
     * A restarted source whose first datagram, numbered from 1, holds its definitions behind a quote still starts a
     * feed session and takes the port at once: it was dropped whole, definitions and all, as if a stray quote.
     */
    @Test
    void shouldTakeThePortForASourceRestartedWithAQuoteBeforeItsDefinitions() throws Exception
    {
        startWithTwoSymbols("ONE", "TWO");
        final int one = sid("ONE");
        final TestClient client = subscribedTo("ONE", "TWO");
        try (java.nio.channels.DatagramChannel restarted = senderToFeedPort())
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH]);
            final FeedDatagramEncoder encoder = new FeedDatagramEncoder().wrap(buffer, 0);
            final long now = System.currentTimeMillis() * 1_000_000L;
            encoder.begin(1, now);
            encoder.addQuote(1, 9, 1, 10, 1, now);
            encoder.addDefinition(1, 4, 0, "ONE");
            encoder.addDefinition(2, 4, 0, "TWO");
            restarted.write(ByteBuffer.wrap(Arrays.copyOf(buffer.byteArray(), encoder.length())));
            restarted.write(ByteBuffer.wrap(quoteDatagram(4, 1, 11)));
            awaitBid(client, one, 11);
        }
        assertThat(feedCounter("other_senders")).isZero();
        assertThat(feedCounter("restarts")).isEqualTo(1);
        assertThat(feedCounter("unknown_instruments")).as("the quote ahead of its definition").isEqualTo(1);
    }

    /**
     * A UDP socket of its own, sending to the gateway's feed port: another sender than the fixture's feed.
     */
    private java.nio.channels.DatagramChannel senderToFeedPort() throws IOException
    {
        final java.nio.channels.DatagramChannel channel = java.nio.channels.DatagramChannel.open();
        channel.connect(new java.net.InetSocketAddress("127.0.0.1", gateway.feedAddress().getPort()));
        return channel;
    }

    private TestClient subscribedTo(final String... symbols)
    {
        final TestClient client = client();
        client.awaitReply(client.subscribe(symbols));
        return client;
    }

    /**
     * A gateway fed ids 1 and 2 as {@code first} and {@code second} (seq 1 and 2) and a bid of 50 for the second.
     */
    private void startWithTwoSymbols(final String first, final String second)
    {
        start();
        feed.sendRaw(definitionDatagram(1, 1, first));
        feed.sendRaw(definitionDatagram(2, 2, second));
        feed.sendRaw(quoteDatagram(3, 2, 50));
        awaitSymbol(second);
    }

    /**
     * An exchange time so far in the past that ingest − exchange overflows is as late as the histogram goes (1 h),
     * not 0: a feed with a broken clock must show as late, not as instant.
     */
    @Test
    void shouldRecordAnExchangeTimeFarInThePastAsLate()
    {
        start();
        feed.sendRaw(definitionDatagram(1, 1, "OLD"));
        awaitSymbol("OLD");
        final String sum = "tickgate_latency_exchange_to_ingest_seconds_sum{source=\"udp\"}";
        final String count = "tickgate_latency_exchange_to_ingest_seconds_count{source=\"udp\"}";
        final double sumBefore = fixture.metricOrZero(sum);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH]);
        final FeedDatagramEncoder encoder = new FeedDatagramEncoder().wrap(buffer, 0);
        encoder.begin(2, System.currentTimeMillis() * 1_000_000L);
        encoder.addQuote(1, 100, 1, 101, 1, Long.MIN_VALUE);
        feed.sendRaw(Arrays.copyOf(buffer.byteArray(), encoder.length()));

        Tests.await(Duration.ofSeconds(10), () -> fixture.metricOrZero(count) >= 1,
            () -> "exchange-to-ingest never recorded the tick");
        assertThat(fixture.metricOrZero(sum) - sumBefore).as("seconds recorded for the tick").isGreaterThan(3_000.0);
    }

    // ------------------------------------------------------------------------------------------------ client input

    /** Requests that are not valid v1 messages: the text sent, and the id expected in the reply (empty: none). */
    private static final String[][] BAD_REQUESTS =
    {
        { "{\"op\":", "" },
        { "[\"ping\"]", "" },
        { "\"ping\"", "" },
        { "null", "" },
        { "", "" },
        { "{\"id\":3}", "3" },
        { "{\"op\":5}", "" },
        { "{\"op\":null,\"id\":4}", "4" },
        { "{\"op\":\"dance\",\"id\":7}", "7" },
        { "{\"op\":\"subscribe\",\"id\":11}", "11" },
        { "{\"op\":\"subscribe\",\"id\":12,\"symbols\":\"OTHER\"}", "12" },
        { "{\"op\":\"subscribe\",\"id\":13,\"symbols\":[\"OTHER\",5]}", "13" },
        { "{\"op\":\"unsubscribe\",\"id\":14,\"symbols\":[\"TICK\",5]}", "14" },
        { "{\"op\":\"unsubscribe\",\"id\":15,\"symbols\":{\"0\":\"TICK\"}}", "15" },
        { "{\"op\":\"throttle\",\"id\":16,\"maxRateHz\":-1}", "16" },
        { "{\"op\":\"throttle\",\"id\":17,\"maxRateHz\":\"fast\"}", "17" },
        { "{\"op\":\"throttle\",\"id\":18,\"maxRateHz\":2.5}", "18" },
        { "{\"op\":\"throttle\",\"id\":19}", "19" },
        { "{\"op\":\"ping\",\"id\":\"x\"}", "" },
        { "{\"op\":\"ping\",\"id\":1.5}", "" },
        { "{\"op\":\"ping\",\"id\":9223372036854775808}", "" },
        // One JSON object per text message: a second would otherwise go unanswered.
        { "{\"op\":\"ping\",\"id\":31} {\"op\":\"ping\",\"id\":32}", "31" },
        { "{\"op\":\"subscribe\",\"id\":33,\"symbols\":[\"OTHER\"]} []", "33" },
        // Whatever follows a whole object, JSON or not, the object's id is known and echoed.
        { "{\"op\":\"ping\",\"id\":34} garbage", "34" },
        { "{\"op\":\"ping\",\"id\":35}}}", "35" },
        { "{\"op\":\"ping\",\"id\":36} x", "36" },
        { "{\"op\":\"ping\",\"id\":\"x\"} x", "" },
    };

    @Test
    void shouldAnswerEveryMalformedClientMessageWithErrorAndKeepSubscriptions() throws Exception
    {
        start();
        feed.define(1, "TICK", 4, 0).define(2, "OTHER", 4, 0);
        awaitSymbol("OTHER");
        final int tick = sid("TICK");
        final int other = sid("OTHER");
        final TestClient client = client();
        client.awaitReply(client.subscribe("TICK"));
        feed.quote(1, 1, 1, 2, 1).flush();
        awaitBid(client, tick, 1);

        int badRequestErrors = 0;
        for (final String[] request : BAD_REQUESTS)
        {
            final JsonNode reply = sendAndAwaitNextReply(client, request[0]);
            assertError(reply, "BAD_REQUEST", request[1].isEmpty() ? null : Long.valueOf(request[1]), request[0]);
            badRequestErrors++;
        }

        final String tooLarge = pad("{\"op\":\"ping\",\"id\":30}", MAX_TEXT + 1);
        assertThat(tooLarge.getBytes(StandardCharsets.UTF_8)).hasSize(MAX_TEXT + 1);
        assertError(sendAndAwaitNextReply(client, tooLarge), "TOO_LARGE", null, "65,537-byte text");

        final String exactLimit = pad("{\"op\":\"ping\",\"id\":31}", MAX_TEXT);
        assertThat(exactLimit.getBytes(StandardCharsets.UTF_8)).hasSize(MAX_TEXT);
        final JsonNode limitReply = sendAndAwaitNextReply(client, exactLimit);
        assertThat(limitReply.get("op").asText()).as("reply to a 65,536-byte ping: " + limitReply).isEqualTo("pong");
        assertThat(limitReply.get("id").asLong()).isEqualTo(31);

        badRequestErrors += assertBinaryMessagesRefused();

        // A burst sent faster than the replies are read: past 64 queued replies the gateway stops reading the
        // session rather than buffering without bound; every request must still be answered, in order.
        final int burst = 600;
        final int before = client.replies.size();
        for (int i = 0; i < burst; i++)
        {
            client.send(0 == (i & 1) ? "{\"op\":\"dance\",\"id\":" + (1_000 + i) + "}" :
                "{\"op\":\"ping\",\"id\":" + (1_000 + i) + "}");
        }
        Tests.await(Duration.ofSeconds(20), () -> client.replies.size() >= before + burst,
            () -> "burst replies " + (client.replies.size() - before) + " close " + client.closeCode);
        for (int i = 0; i < burst; i++)
        {
            final JsonNode reply = client.replies.get(before + i);
            assertThat(reply.get("id").asLong()).isEqualTo(1_000 + i);
            assertThat(reply.get("op").asText()).isEqualTo(0 == (i & 1) ? "error" : "pong");
        }
        badRequestErrors += burst / 2;

        // Subscriptions unchanged: TICK still flows, OTHER (only ever in bad requests) never does.
        feed.quote(2, 9, 9, 10, 9).quote(1, 2, 1, 3, 1).flush();
        awaitBid(client, tick, 2);
        assertThat(client.entries(other)).isEmpty();
        assertThat(client.closeCode).as("session close code").isEqualTo(-1);
        assertThat(client.error).isNull();
        assertThat(client.replies).noneMatch(reply -> "subscribed".equals(reply.get("op").asText()) &&
            reply.get("id").asLong() != 1);
        assertThat(client.replies).noneMatch(reply -> "unsubscribed".equals(reply.get("op").asText()));
        assertThat(client.replies).noneMatch(reply -> "throttled".equals(reply.get("op").asText()));

        assertThat(metric("tickgate_bad_requests_total{code=\"BAD_REQUEST\"}")).isEqualTo(badRequestErrors);
        assertThat(metric("tickgate_bad_requests_total{code=\"TOO_LARGE\"}")).isEqualTo(1);
        assertThat(metric("tickgate_errors_total")).isZero();

        final JsonNode pong = client.awaitReply(client.request("ping", ""));
        assertThat(pong.get("op").asText()).isEqualTo("pong");
        final long nowNs = System.currentTimeMillis() * 1_000_000L;
        assertThat(pong.get("serverTime").asLong()).isBetween(nowNs - 5_000_000_000L, nowNs + 5_000_000_000L);
    }

    /**
     * Binary from a client is not part of the protocol: a raw client (the test client only sends text) sends two
     * binary messages, each answered BAD_REQUEST, then a ping still answered on the same session.
     *
     * @return the BAD_REQUEST errors it caused.
     */
    private int assertBinaryMessagesRefused() throws Exception
    {
        final List<String> rawReplies = new CopyOnWriteArrayList<>();
        final AtomicInteger rawCloseCode = new AtomicInteger(-1);
        final WebSocket raw = rawClient(rawReplies, rawCloseCode);
        raw.sendBinary(ByteBuffer.wrap("{\"op\":\"ping\",\"id\":40}".getBytes(StandardCharsets.UTF_8)), true).join();
        Tests.await(Duration.ofSeconds(10), () -> !rawReplies.isEmpty(), () -> "no reply to a binary message");
        assertError(MAPPER.readTree(rawReplies.get(0)), "BAD_REQUEST", null, "binary message");
        raw.sendBinary(ByteBuffer.allocate(MAX_TEXT + 100), true).join();
        Tests.await(Duration.ofSeconds(10), () -> rawReplies.size() >= 2, () -> "no reply to a large binary message");
        assertError(MAPPER.readTree(rawReplies.get(1)), "BAD_REQUEST", null, "large binary message");
        raw.sendText("{\"op\":\"ping\",\"id\":41}", true).join();
        Tests.await(Duration.ofSeconds(10), () -> rawReplies.size() >= 3, () -> "raw client got no pong");
        final JsonNode rawPong = MAPPER.readTree(rawReplies.get(2));
        assertThat(rawPong.get("op").asText()).isEqualTo("pong");
        assertThat(rawPong.get("id").asLong()).isEqualTo(41);
        assertThat(rawCloseCode.get()).as("raw client close code").isEqualTo(-1);
        return 2;
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void awaitSymbol(final String symbol)
    {
        fixture.awaitSymbol(symbol);
    }

    private int sid(final String symbol)
    {
        return fixture.sid(symbol);
    }

    private static void awaitBid(final TestClient client, final int sid, final long bid)
    {
        Tests.await(Duration.ofSeconds(10), () -> null != client.latest(sid) && client.latest(sid).bidPrice() == bid,
            () -> "client never got bid " + bid + ", latest " + client.latest(sid));
    }

    private static boolean isStale(final TestClient.Entry entry)
    {
        return null != entry && 0 != (entry.flags() & FrameDescriptor.FLAG_STALE);
    }

    private static long accounted(final List<TestClient.Entry> entries)
    {
        return GatewayFixture.accounted(entries);
    }

    private long datagrams()
    {
        return feedCounter("datagrams");
    }

    private void awaitDatagrams(final long count)
    {
        Tests.await(Duration.ofSeconds(10), () -> datagrams() >= count,
            () -> "gateway received " + datagrams() + " of " + count + " datagrams");
    }

    private long feedCounter(final String name)
    {
        return (long)metric("tickgate_" + ("ticks_ingested".equals(name) ? name : "feed_" + name) +
            "_total{source=\"udp\"}");
    }

    private long malformed(final int reason)
    {
        return (long)metric("tickgate_feed_malformed_total{reason=\"" + FeedDecodeResult.name(reason) +
            "\",source=\"udp\"}");
    }

    /**
     * The value of one series of the Prometheus scrape, by its exact name and labels.
     */
    private double metric(final String series)
    {
        return fixture.metric(series);
    }

    @Test
    void shouldRefuseEveryMethodButGetAndHeadOnTheHttpPaths() throws Exception
    {
        start();
        final HttpClient http = HttpClient.newHttpClient();
        for (final String path : new String[] { "/", "/index.html", "/app.js", "/health", "/metrics", "/api/symbols" })
        {
            final URI uri = URI.create("http://127.0.0.1:" + gateway.httpAddress().getPort() + path);
            // Methods are case-sensitive: "get" and "Head" are not GET and HEAD.
            for (final String method : new String[] { "POST", "PUT", "DELETE", "get", "Head" })
            {
                final HttpResponse<String> refused = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10))
                    .method(method, HttpRequest.BodyPublishers.ofString("x"))
                    .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(refused.statusCode()).as(method + " " + path).isEqualTo(405);
                assertThat(refused.headers().firstValue("Allow")).as(method + " " + path).hasValue("GET, HEAD");
            }
            final HttpResponse<Void> head = http.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
            assertThat(head.statusCode()).as("HEAD " + path).isEqualTo(200);
        }
        final HttpResponse<String> missing = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.httpAddress().getPort() + "/no/such/page"))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(missing.body()).startsWith("not found: /no/such/page (the gateway serves /, /ws, /health");
        assertThat(missing.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    }

    @Test
    void shouldServeTheUiForLinksWithAnyPrintableSymbolAndNeverEchoAPathUnbounded() throws Exception
    {
        start();
        final int port = gateway.httpAddress().getPort();
        // Browsers send ^ | { } \ ` unencoded in a query; every symbol of 1-16 printable characters can be linked.
        final String link =
            "GET /?symbols=AAPL,^GSPC,BTC|USD,{X},A`B,A\\B HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        final String ui = rawHttp(port, link);
        assertThat(ui).startsWith("HTTP/1.1 200");
        assertThat(ui).containsIgnoringCase("\r\nx-frame-options: DENY\r\n");
        assertThat(ui).containsIgnoringCase("\r\ncontent-security-policy: frame-ancestors 'none'\r\n");
        assertThat(ui).containsIgnoringCase("\r\nx-content-type-options: nosniff\r\n");
        assertThat(ui).containsIgnoringCase("\r\ncache-control: public, max-age=0\r\n");
        assertThat(ui).contains("<html");

        // Long, but within the request's 16 KiB header limit (tickgate.http.max.header), past which it is a 400.
        final String longPath = "/" + "a".repeat(12_000);
        final String missing =
            rawHttp(port, "GET " + longPath + "%00 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(missing).startsWith("HTTP/1.1 404");
        assertThat(missing.length()).as("the 404 body echoes a bounded path").isLessThan(2_000);
        final String nul = rawHttp(port, "GET /x%00y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertThat(nul).contains("not found: /x\\u0000y (");
        assertThat(rawHttp(port, "GET /../pom.xml?x=^ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
            .as("no way out of the UI's files").matches("(?s)HTTP/1.1 (400|404) .*");
    }

    private static String rawHttp(final int port, final String request) throws IOException
    {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port))
        {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private JsonNode health() throws Exception
    {
        final HttpResponse<String> response = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.httpAddress().getPort() + "/health"))
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return MAPPER.readTree(response.body());
    }

    private static JsonNode sendAndAwaitNextReply(final TestClient client, final String text)
    {
        final int before = client.replies.size();
        client.send(text);
        Tests.await(Duration.ofSeconds(10), () -> client.replies.size() > before,
            () -> "no reply to " + abbreviate(text) + "; close " + client.closeCode + " " + client.closeReason);
        return client.replies.get(before);
    }

    private static void assertError(final JsonNode reply, final String code, final Long id, final String request)
    {
        final String what = "reply to " + abbreviate(request) + ": " + reply;
        assertThat(reply.get("op").asText()).as(what).isEqualTo("error");
        assertThat(reply.get("code").asText()).as(what).isEqualTo(code);
        assertThat(reply.hasNonNull("message") && !reply.get("message").asText().isBlank()).as(what).isTrue();
        if (null == id)
        {
            assertThat(reply.has("id")).as(what).isFalse();
        }
        else
        {
            assertThat(reply.get("id").isIntegralNumber()).as(what).isTrue();
            assertThat(reply.get("id").asLong()).as(what).isEqualTo(id);
        }
    }

    private static String pad(final String json, final int length)
    {
        final char[] spaces = new char[length - json.length()];
        Arrays.fill(spaces, ' ');
        return json + new String(spaces);
    }

    private static String abbreviate(final String text)
    {
        return text.length() <= 80 ? text : text.substring(0, 80) + "... (" + text.length() + " chars)";
    }

    private WebSocket rawClient(final List<String> texts, final AtomicInteger closeCode)
    {
        final StringBuilder text = new StringBuilder();
        final WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .buildAsync(URI.create("ws://127.0.0.1:" + gateway.httpAddress().getPort() + "/ws"),
                new WebSocket.Listener()
                {
                    @Override
                    public CompletionStage<?> onText(final WebSocket webSocket, final CharSequence data,
                        final boolean last)
                    {
                        text.append(data);
                        if (last)
                        {
                            texts.add(text.toString());
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(final WebSocket webSocket, final int statusCode,
                        final String reason)
                    {
                        closeCode.set(statusCode);
                        return null;
                    }
                })
            .orTimeout(10, TimeUnit.SECONDS)
            .join();
        rawSockets.add(socket);
        return socket;
    }

    // ------------------------------------------------------------------------------------------------ datagrams

    private static ByteBuffer header(final int length, final int magic, final int count, final long seq)
    {
        return ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(magic)
            .putShort((short)count)
            .putShort((short)0)
            .putLong(seq)
            .putLong(System.currentTimeMillis() * 1_000_000L);
    }

    private static void putQuote(final ByteBuffer buffer, final int instrumentId, final long bid)
    {
        buffer.putShort((short)FeedMessageDescriptor.QUOTE_LENGTH)
            .put(FeedMessageDescriptor.TYPE_QUOTE)
            .put((byte)0)
            .putInt(instrumentId)
            .putLong(bid)
            .putLong(1)
            .putLong(bid + 1)
            .putLong(1)
            .putLong(System.currentTimeMillis() * 1_000_000L);
    }

    private static byte[] validDatagram(final ByteBuffer buffer)
    {
        assertThat(buffer.remaining()).as("hand-built datagram fully written").isZero();
        final byte[] bytes = buffer.array();
        assertThat(FeedDatagramDecoder.validate(new UnsafeBuffer(bytes), 0, bytes.length))
            .as("hand-built datagram is valid").isEqualTo(FeedDecodeResult.OK);
        return bytes;
    }

    private static byte[] quoteDatagram(final long seq, final int instrumentId, final long bid)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH]);
        final FeedDatagramEncoder encoder = new FeedDatagramEncoder().wrap(buffer, 0);
        encoder.begin(seq, System.currentTimeMillis() * 1_000_000L);
        encoder.addQuote(instrumentId, bid, 1, bid + 1, 1, System.currentTimeMillis() * 1_000_000L);
        return Arrays.copyOf(buffer.byteArray(), encoder.length());
    }

    private static byte[] definitionDatagram(final long seq, final int instrumentId, final String symbol)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[FeedHeaderFlyweight.MAX_DATAGRAM_LENGTH]);
        final FeedDatagramEncoder encoder = new FeedDatagramEncoder().wrap(buffer, 0);
        encoder.begin(seq, System.currentTimeMillis() * 1_000_000L);
        encoder.addDefinition(instrumentId, 4, 0, symbol);
        return Arrays.copyOf(buffer.byteArray(), encoder.length());
    }

    /**
     * Checks the datagram is rejected for the reason meant, with the protocol's own validation, and counts it.
     */
    private static byte[] expectReason(final byte[] datagram, final int reason, final long[] expected)
    {
        assertThat(FeedDatagramDecoder.validate(new UnsafeBuffer(datagram), 0, datagram.length))
            .as("hand-built datagram meant as " + FeedDecodeResult.name(reason))
            .isEqualTo(reason);
        expected[reason]++;
        return datagram;
    }

    /** A whole valid quote under a magic that is not TKF1 ("TKF2"). */
    private static byte[] badMagic()
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + 48, 0x32464B54, 1, 1_000_000);
        putQuote(buffer, 1, POISON);
        return buffer.array();
    }

    /** Ten bytes starting with the right magic. */
    private static byte[] shortHeader()
    {
        final ByteBuffer buffer = ByteBuffer.allocate(10).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(FeedHeaderFlyweight.MAGIC).putShort((short)1).putShort((short)0).putShort((short)7);
        return buffer.array();
    }

    /** A count of 3 with one quote present. */
    private static byte[] countOverrun()
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + 48, FeedHeaderFlyweight.MAGIC, 3,
            1_000_000);
        putQuote(buffer, 1, POISON);
        return buffer.array();
    }

    /** A quote claiming 48 bytes with only 30 left in the datagram. */
    private static byte[] lengthOverrun()
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + 30, FeedHeaderFlyweight.MAGIC, 1,
            1_000_000);
        buffer.putShort((short)FeedMessageDescriptor.QUOTE_LENGTH).put(FeedMessageDescriptor.TYPE_QUOTE).put((byte)0)
            .putInt(1).putLong(POISON);
        return buffer.array();
    }

    /** A whole valid quote, then a second message that overruns: nothing of it may be applied. */
    private static byte[] validQuoteThenLengthOverrun()
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + 48 + 10, FeedHeaderFlyweight.MAGIC, 2,
            1_000_000);
        putQuote(buffer, 1, POISON);
        buffer.putShort((short)FeedMessageDescriptor.QUOTE_LENGTH).put(FeedMessageDescriptor.TYPE_QUOTE).put((byte)0)
            .putInt(1);
        return buffer.array();
    }

    /** A message whose length is below the 3 bytes of length and type, with a whole quote's bytes after it. */
    private static byte[] zeroLength(final int length)
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + 48, FeedHeaderFlyweight.MAGIC, 1,
            1_000_000);
        buffer.putShort((short)length).put(FeedMessageDescriptor.TYPE_QUOTE).put((byte)0).putInt(1).putLong(POISON);
        return buffer.array();
    }

    /** A known type whose length (and datagram) is shorter than its v1 body. */
    private static byte[] shortMessage(final byte type, final int length)
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + length, FeedHeaderFlyweight.MAGIC, 1,
            1_000_000);
        buffer.putShort((short)length).put(type).put((byte)0).putInt(1).putLong(POISON);
        if (FeedMessageDescriptor.TYPE_DEFINITION == type)
        {
            buffer.position(FeedHeaderFlyweight.HEADER_LENGTH + FeedMessageDescriptor.DEF_SYMBOL_OFFSET);
            buffer.put("SHORTDEF".getBytes(StandardCharsets.US_ASCII));
        }
        return buffer.array();
    }

    /**
     * A full-length definition of instrument 2 whose symbol is not 1 to 16 printable ASCII characters, then a quote
     * of the known instrument that must not be applied either.
     */
    private static byte[] badSymbol(final byte[] symbol)
    {
        final ByteBuffer buffer = header(FeedHeaderFlyweight.HEADER_LENGTH + FeedMessageDescriptor.DEFINITION_LENGTH +
            FeedMessageDescriptor.QUOTE_LENGTH, FeedHeaderFlyweight.MAGIC, 2, 1_000_000);
        buffer.putShort((short)FeedMessageDescriptor.DEFINITION_LENGTH).put(FeedMessageDescriptor.TYPE_DEFINITION)
            .put((byte)0).putInt(2).put((byte)2).put((byte)0).putShort((short)0);
        final byte[] padded = new byte[FeedMessageDescriptor.SYMBOL_LENGTH];
        System.arraycopy(symbol, 0, padded, 0, symbol.length);
        buffer.put(padded);
        putQuote(buffer, 1, POISON);
        return buffer.array();
    }

    /** 1,600 bytes with the right magic and a valid quote at the front. */
    private static byte[] tooLong()
    {
        final ByteBuffer buffer = header(1_600, FeedHeaderFlyweight.MAGIC, 1, 1_000_000);
        putQuote(buffer, 1, POISON);
        return buffer.array();
    }

    /**
     * Seeded random bytes, half of them starting with the right magic; one that happens to pass validation gets a
     * count of 65,535, which no datagram can hold, so it can never shift the feed sequence.
     */
    private static byte[] randomInvalid(final Random random, final boolean validMagic, final long[] expected)
    {
        final byte[] bytes = new byte[1 + random.nextInt(1_600)];
        random.nextBytes(bytes);
        final ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (validMagic && bytes.length >= Integer.BYTES)
        {
            buffer.putInt(0, FeedHeaderFlyweight.MAGIC);
        }
        else if (bytes.length >= Integer.BYTES && buffer.getInt(0) == FeedHeaderFlyweight.MAGIC)
        {
            buffer.putInt(0, ~FeedHeaderFlyweight.MAGIC);
        }
        int reason = FeedDatagramDecoder.validate(new UnsafeBuffer(bytes), 0, bytes.length);
        if (FeedDecodeResult.OK == reason)
        {
            buffer.putShort(FeedHeaderFlyweight.COUNT_OFFSET, (short)0xFFFF);
            reason = FeedDatagramDecoder.validate(new UnsafeBuffer(bytes), 0, bytes.length);
        }
        assertThat(reason).as("random datagram is invalid").isNotEqualTo(FeedDecodeResult.OK);
        expected[reason]++;
        return bytes;
    }
}
