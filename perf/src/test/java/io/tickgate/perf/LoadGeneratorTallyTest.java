package io.tickgate.perf;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the load generator reports of its sessions as a whole, with the connections' states set by hand (no sockets).
 */
class LoadGeneratorTallyTest
{
    private final SubscriptionPlan plan = new SubscriptionPlan(LoadTest.simulatorSymbols(3), 3, 1);
    private final LoadGenerator generator = new LoadGenerator(
        new LoadTestSettings("127.0.0.1", 9, "/ws", 3, 1, 3, 1, 0), plan, new PrintWriter(new StringWriter()));

    @Test
    void shouldTakeTheSlowestSessionAmongThoseOpenOnly()
    {
        final Connection[] connections = generator.connections();
        connections[0].state = Connection.State.OPEN;
        connections[0].tally.entries = 40;
        connections[1].state = Connection.State.OPEN;
        connections[1].tally.entries = 7;
        // Never upgraded: a failure counted elsewhere, not a starved session.
        connections[2].state = Connection.State.CONNECTING;

        assertThat(generator.slowestOpenSessionEntries()).isEqualTo(7);

        connections[1].state = Connection.State.CLOSED;
        assertThat(generator.slowestOpenSessionEntries()).isEqualTo(40);
    }

    @Test
    void shouldReportZeroWhenNoSessionIsOpen()
    {
        assertThat(List.of(generator.connections())).allMatch(c -> Connection.State.CONNECTING == c.state);
        assertThat(generator.slowestOpenSessionEntries()).isZero();
    }
}
