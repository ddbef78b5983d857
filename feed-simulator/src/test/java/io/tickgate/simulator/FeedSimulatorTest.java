package io.tickgate.simulator;

import org.agrona.concurrent.AgentTerminationException;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.EpochNanoClock;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FeedSimulatorTest
{
    private static final long EPOCH_AT_START_NS = 1_764_000_000_000_000_000L;
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);
    private static final long MILLISECOND_NS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int SYMBOL_COUNT = 50;

    private final CachedNanoClock clock = new CachedNanoClock();
    private final EpochNanoClock epochClock = () -> EPOCH_AT_START_NS;
    private final RecordingTickSink sink = new RecordingTickSink();

    @Test
    void shouldEmitRateTimesElapsedTicksWhenClockAdvancesOneSecond()
    {
        final FeedSimulator agent = newAgent(1_000, 0, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();

        for (int i = 0; i < 1_000; i++)
        {
            clock.advance(MILLISECOND_NS);
            agent.doWork();
        }

        assertThat(agent.ticksSent()).isBetween(999L, 1_001L);
        assertThat((long)sink.ticks()).isEqualTo(agent.ticksSent());
    }

    @Test
    void shouldEmitWholeBacklogWhenOneDutyCycleIsLate()
    {
        final FeedSimulator agent = newAgent(1_000, 0, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();

        clock.advance(SECOND_NS);
        final int workCount = agent.doWork();

        assertThat(workCount).isEqualTo(1_000);
        assertThat(agent.ticksSent()).isEqualTo(1_000L);
    }

    @Test
    void shouldDoNoWorkWhenNoTickIsDue()
    {
        final FeedSimulator agent = newAgent(1_000, 0, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();
        final int flushesAfterStart = sink.flushes;

        clock.advance(MILLISECOND_NS - 1);

        assertThat(agent.doWork()).isZero();
        assertThat(sink.ticks()).isZero();
        assertThat(sink.flushes).as("no flush for an empty batch").isEqualTo(flushesAfterStart);
    }

    @Test
    void shouldFlushAfterEachBatchWhenTicksAreDue()
    {
        final FeedSimulator agent = newAgent(1_000, 0, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();
        final int flushesAfterStart = sink.flushes;

        clock.advance(10 * MILLISECOND_NS);
        agent.doWork();
        clock.advance(5 * MILLISECOND_NS);
        agent.doWork();

        assertThat(sink.flushes).isEqualTo(flushesAfterStart + 2);
        assertThat(sink.messagesAtFlush.subList(flushesAfterStart, sink.flushes))
            .containsExactly(SYMBOL_COUNT + 10, SYMBOL_COUNT + 15);
    }

    @Test
    void shouldCapBatchWhenFarBehindSchedule()
    {
        final FeedSimulator agent = newAgent(1_000_000, 0, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();

        clock.advance(SECOND_NS);
        int dutyCycles = 0;
        while (agent.ticksSent() < 1_000_000)
        {
            assertThat(agent.doWork()).isLessThanOrEqualTo(FeedSimulator.MAX_TICKS_PER_DUTY_CYCLE);
            dutyCycles++;
        }

        assertThat(agent.ticksSent()).isEqualTo(1_000_000L);
        assertThat(dutyCycles).isEqualTo((1_000_000 + FeedSimulator.MAX_TICKS_PER_DUTY_CYCLE - 1) /
            FeedSimulator.MAX_TICKS_PER_DUTY_CYCLE);
        assertThat(agent.doWork()).isZero();
    }

    @Test
    void shouldEmitDefinitionsAtStartAndAgainWhenIntervalElapses()
    {
        final long intervalNs = 5 * SECOND_NS;
        final FeedSimulator agent = newAgent(100, 0, intervalNs);

        agent.onStart();
        assertThat(sink.definitions).isEqualTo(SYMBOL_COUNT);
        assertThat(sink.messages.get(0).symbol()).isEqualTo("AAPL");
        assertThat(sink.flushes).isEqualTo(1);

        clock.advance(intervalNs - MILLISECOND_NS);
        agent.doWork();
        assertThat(sink.definitions).isEqualTo(SYMBOL_COUNT);

        clock.advance(MILLISECOND_NS);
        agent.doWork();
        assertThat(sink.definitions).isEqualTo(2 * SYMBOL_COUNT);

        clock.advance(intervalNs);
        agent.doWork();
        assertThat(sink.definitions).isEqualTo(3 * SYMBOL_COUNT);
    }

    @Test
    void shouldStampTicksWithScheduledEpochTimeWhenEmitting()
    {
        final FeedSimulator agent = newAgent(1_000, 0, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();

        clock.advance(3 * MILLISECOND_NS);
        agent.doWork();

        assertThat(sink.messages.subList(SYMBOL_COUNT, sink.messages.size()))
            .extracting(RecordingTickSink.Message::exchangeTimeNs)
            .containsExactly(
                EPOCH_AT_START_NS + MILLISECOND_NS,
                EPOCH_AT_START_NS + 2 * MILLISECOND_NS,
                EPOCH_AT_START_NS + 3 * MILLISECOND_NS);
    }

    @Test
    void shouldTerminateWhenDurationElapses()
    {
        final FeedSimulator agent = newAgent(1_000, 2 * SECOND_NS, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();

        clock.advance(2 * SECOND_NS - MILLISECOND_NS);
        agent.doWork();
        assertThat(agent.ticksSent()).isEqualTo(1_999L);

        clock.advance(MILLISECOND_NS);
        final AgentTerminationException ex = catchThrowableOfType(AgentTerminationException.class, agent::doWork);

        assertThat(ex).isNotNull();
        assertThat(ex.isExpected()).as("expected: the runner stops without reporting an error").isTrue();
        assertThat(agent.ticksSent()).isEqualTo(2_000L);
        assertThat(sink.ticks()).isEqualTo(2_000);
    }

    @Test
    void shouldSendEveryDueTickBeforeTerminatingWhenFarBehindAtEnd()
    {
        final FeedSimulator agent = newAgent(100_000, SECOND_NS, FeedSimulator.DEFAULT_DEFINITIONS_INTERVAL_NS);
        agent.onStart();

        clock.advance(10 * SECOND_NS);
        int dutyCycles = 0;
        boolean terminated = false;
        while (!terminated)
        {
            assertThat(dutyCycles++).as("duty cycles").isLessThan(1_000);
            try
            {
                agent.doWork();
            }
            catch (final AgentTerminationException ex)
            {
                terminated = true;
            }
        }

        assertThat(agent.ticksSent()).as("no tick past the duration").isEqualTo(100_000L);
        assertThat(sink.ticks()).isEqualTo(100_000);
    }

    @Test
    void shouldNameRoleForThreadDumps()
    {
        assertThat(newAgent(1, 0, SECOND_NS).roleName()).isEqualTo("tickgate-simulator");
    }

    @Test
    void shouldRejectRateWhenNotPositive()
    {
        assertThatThrownBy(() -> newAgent(0, 0, SECOND_NS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> newAgent(Double.NaN, 0, SECOND_NS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> newAgent(1, -1, SECOND_NS)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> newAgent(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private FeedSimulator newAgent(final double rate, final long durationNs, final long definitionsIntervalNs)
    {
        return new FeedSimulator(
            new MarketSimulator(SYMBOL_COUNT, 17), sink, rate, durationNs, clock, definitionsIntervalNs, epochClock);
    }
}
