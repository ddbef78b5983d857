package io.tickgate.simulator;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarketSimulatorTest
{
    private static final long T0 = 1_764_000_000_000_000_000L;

    @Test
    void shouldEmitSameSequenceWhenSeedIsSame()
    {
        final RecordingTickSink first = run(new MarketSimulator(500, 42), 100_000);
        final RecordingTickSink second = run(new MarketSimulator(500, 42), 100_000);

        assertThat(second.messages).isEqualTo(first.messages);
    }

    @Test
    void shouldEmitDifferentSequenceWhenSeedDiffers()
    {
        final RecordingTickSink first = run(new MarketSimulator(500, 42), 1_000);
        final RecordingTickSink second = run(new MarketSimulator(500, 43), 1_000);

        assertThat(second.messages).isNotEqualTo(first.messages);
    }

    @Test
    void shouldKeepQuotesAndTradesSaneWhenTickingOneMillionTimes()
    {
        final int symbolCount = 1_000;
        final MarketSimulator simulator = new MarketSimulator(symbolCount, 7);
        final SanityCheckingSink sink = new SanityCheckingSink(symbolCount);

        for (int i = 0; i < 1_000_000; i++)
        {
            simulator.nextTick(sink, T0 + i);
        }

        assertThat(sink.firstViolation).as("first violation").isNull();
        assertThat(sink.quotes + sink.trades).isEqualTo(1_000_000);
        // About one tick in ten is a trade.
        assertThat(sink.trades).isBetween(80_000L, 130_000L);
        assertThat(sink.minPrice).isPositive();
        // The walk leans back to where it started ($10..$500), so prices stay plausible.
        assertThat(sink.maxPrice).isLessThan(1_000 * 10_000L);
    }

    @Test
    void shouldDefineUniqueShortAsciiSymbolsWhenManySymbols()
    {
        final int symbolCount = MarketSimulator.MAX_SYMBOL_COUNT;
        final MarketSimulator simulator = new MarketSimulator(symbolCount, 1);
        final RecordingTickSink sink = new RecordingTickSink();

        simulator.definitions(sink);

        assertThat(sink.definitions).isEqualTo(symbolCount);
        final Set<String> symbols = new HashSet<>();
        for (int i = 0; i < symbolCount; i++)
        {
            final RecordingTickSink.Message definition = sink.messages.get(i);
            assertThat(definition.instrumentId()).isEqualTo(i + 1);
            assertThat(definition.price()).as("priceScale").isEqualTo(4);
            assertThat(definition.size()).as("sizeScale").isEqualTo(0);
            assertThat(definition.symbol()).hasSizeBetween(1, 16).matches("[\\x21-\\x7E]+");
            assertThat(simulator.symbol(i + 1)).isSameAs(definition.symbol());
            symbols.add(definition.symbol());
        }
        assertThat(symbols).hasSize(symbolCount);
        assertThat(simulator.symbol(1)).isEqualTo("AAPL");
        assertThat(simulator.symbol(60)).doesNotStartWith("SYM");
        assertThat(simulator.symbol(61)).isEqualTo("SYM00061");
        assertThat(simulator.symbol(100_000)).isEqualTo("SYM100000");
    }

    @Test
    void shouldUseFirstTickersWhenFewSymbols()
    {
        final RecordingTickSink sink = new RecordingTickSink();

        new MarketSimulator(3, 1).definitions(sink);

        assertThat(sink.messages).extracting(RecordingTickSink.Message::symbol).containsExactly("AAPL", "MSFT", "AMZN");
    }

    @Test
    void shouldMakeSomeSymbolsMuchBusierWhenTicking()
    {
        final int symbolCount = 1_000;
        final int[] ticksById = countTicksById(new MarketSimulator(symbolCount, 11), symbolCount, 1_000_000);

        final int[] sorted = Arrays.copyOfRange(ticksById, 1, symbolCount + 1);
        Arrays.sort(sorted);
        final int median = sorted[symbolCount / 2];
        final int busiest = sorted[symbolCount - 1];
        assertThat(median).isPositive();
        assertThat(busiest).as("busiest %d vs median %d", busiest, median).isGreaterThan(10 * median);
    }

    @Test
    void shouldTickEverySymbolAboutEquallyWhenActivityIsUniform()
    {
        final int symbolCount = 1_000;
        final int[] ticksById = countTicksById(new MarketSimulator(symbolCount, 11, true), symbolCount, 1_000_000);

        final int[] sorted = Arrays.copyOfRange(ticksById, 1, symbolCount + 1);
        Arrays.sort(sorted);
        final int median = sorted[symbolCount / 2];
        // About 1,000 each; bursts (7 % of ticks, up to 200 in a row) add a few hundred to some.
        assertThat(sorted[0]).as("quietest %d vs median %d", sorted[0], median).isGreaterThan(median / 2);
        assertThat(sorted[symbolCount - 1]).as("busiest vs median %d", median).isLessThan(2 * median);
    }

    @Test
    void shouldBurstOnOneSymbolWhenTickingLongEnough()
    {
        final int symbolCount = 1_000;
        final MarketSimulator simulator = new MarketSimulator(symbolCount, 3);
        final RunLengthSink sink = new RunLengthSink();

        for (int i = 0; i < 1_000_000; i++)
        {
            simulator.nextTick(sink, T0 + i);
        }
        sink.endRun();

        // Without bursts a run of 10 on one symbol is all but impossible: the busiest gets about 1 tick in 10.
        assertThat(sink.runsOfTenOrMore).isBetween(300, 1_200);
        assertThat(sink.longestRun).isBetween(150, MarketSimulator.MAX_BURST_TICKS + 5);
    }

    @Test
    void shouldRejectSymbolCountWhenOutOfRange()
    {
        assertThatThrownBy(() -> new MarketSimulator(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MarketSimulator(MarketSimulator.MAX_SYMBOL_COUNT + 1, 1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    private static RecordingTickSink run(final MarketSimulator simulator, final int ticks)
    {
        final RecordingTickSink sink = new RecordingTickSink();
        simulator.definitions(sink);
        for (int i = 0; i < ticks; i++)
        {
            simulator.nextTick(sink, T0 + i);
        }
        return sink;
    }

    private static int[] countTicksById(final MarketSimulator simulator, final int symbolCount, final int ticks)
    {
        final int[] ticksById = new int[symbolCount + 1];
        final TickSink counter = new TickSink()
        {
            @Override
            public void onDefinition(final int instrumentId, final String symbol, final int priceScale,
                final int sizeScale)
            {
            }

            @Override
            public void onQuote(final int instrumentId, final long bidPrice, final long bidSize,
                final long askPrice, final long askSize, final long exchangeTimeNs)
            {
                ticksById[instrumentId]++;
            }

            @Override
            public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
            {
                ticksById[instrumentId]++;
            }
        };
        for (int i = 0; i < ticks; i++)
        {
            simulator.nextTick(counter, T0 + i);
        }
        return ticksById;
    }

    /**
     * Checks every tick without allocating a message per tick, keeping only the first violation.
     */
    private static final class SanityCheckingSink implements TickSink
    {
        private final int symbolCount;
        String firstViolation;
        long quotes;
        long trades;
        long minPrice = Long.MAX_VALUE;
        long maxPrice;

        SanityCheckingSink(final int symbolCount)
        {
            this.symbolCount = symbolCount;
        }

        @Override
        public void onDefinition(final int instrumentId, final String symbol, final int priceScale,
            final int sizeScale)
        {
        }

        @Override
        public void onQuote(
            final int instrumentId,
            final long bidPrice,
            final long bidSize,
            final long askPrice,
            final long askSize,
            final long exchangeTimeNs)
        {
            quotes++;
            checkId(instrumentId);
            final long spread = askPrice - bidPrice;
            check(bidPrice > 0 && bidPrice < askPrice, "bid, ask", bidPrice, askPrice);
            check(spread >= MarketSimulator.TICK_SIZE && spread <= 5 * MarketSimulator.TICK_SIZE
                && spread % MarketSimulator.TICK_SIZE == 0, "spread", spread, instrumentId);
            check(bidPrice % MarketSimulator.TICK_SIZE == 0, "bid not in whole ticks", bidPrice, instrumentId);
            check(isDisplayedSize(bidSize) && isDisplayedSize(askSize), "bid size, ask size", bidSize, askSize);
            minPrice = Math.min(minPrice, bidPrice);
            maxPrice = Math.max(maxPrice, askPrice);
        }

        @Override
        public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            trades++;
            checkId(instrumentId);
            check(price > 0 && price % MarketSimulator.TICK_SIZE == 0, "trade price", price, instrumentId);
            check(size > 0 && size <= 5_000, "trade size", size, instrumentId);
            minPrice = Math.min(minPrice, price);
            maxPrice = Math.max(maxPrice, price);
        }

        private static boolean isDisplayedSize(final long size)
        {
            return size >= 100 && size <= 5_000 && size % MarketSimulator.LOT_SIZE == 0;
        }

        private void checkId(final int instrumentId)
        {
            final boolean known = instrumentId >= 1 && instrumentId <= symbolCount;
            check(known, "instrument id, symbol count", instrumentId, symbolCount);
        }

        private void check(final boolean ok, final String what, final long a, final long b)
        {
            if (!ok && null == firstViolation)
            {
                firstViolation = "tick " + (quotes + trades) + ": " + what + " = " + a + ", " + b;
            }
        }
    }

    /**
     * Measures runs of consecutive ticks on one instrument.
     */
    private static final class RunLengthSink implements TickSink
    {
        private int runInstrumentId;
        private int runLength;
        int runsOfTenOrMore;
        int longestRun;

        @Override
        public void onDefinition(final int instrumentId, final String symbol, final int priceScale,
            final int sizeScale)
        {
        }

        @Override
        public void onQuote(final int instrumentId, final long bidPrice, final long bidSize, final long askPrice,
            final long askSize, final long exchangeTimeNs)
        {
            onTick(instrumentId);
        }

        @Override
        public void onTrade(final int instrumentId, final long price, final long size, final long exchangeTimeNs)
        {
            onTick(instrumentId);
        }

        private void onTick(final int instrumentId)
        {
            if (instrumentId != runInstrumentId)
            {
                endRun();
                runInstrumentId = instrumentId;
            }
            runLength++;
        }

        void endRun()
        {
            if (runLength >= MarketSimulator.MIN_BURST_TICKS)
            {
                runsOfTenOrMore++;
            }
            longestRun = Math.max(longestRun, runLength);
            runLength = 0;
        }
    }
}
