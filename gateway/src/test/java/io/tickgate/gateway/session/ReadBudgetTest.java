package io.tickgate.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReadBudgetTest
{
    private static final long MS = 1_000_000;

    @Test
    void shouldLetReadingTakeItsShareAndPayForATurnThatOverran()
    {
        final ReadBudget budget = new ReadBudget(MS, 2 * MS);

        assertThat(budget.mayRead(0)).isTrue();
        budget.spent(MS / 2);
        assertThat(budget.mayRead(MS / 10)).as("0.45 ms owed").isTrue();
        budget.spent(MS);
        assertThat(budget.mayRead(2 * MS / 10)).as("1.4 ms owed: the budget is spent").isFalse();
        assertThat(budget.mayRead(MS)).as("1.0 ms owed").isFalse();
        assertThat(budget.mayRead(MS + MS / 5)).as("paid off by half the time that passed: 0.9 ms owed").isTrue();

        // One turn of 10 ms (a costly message): owed until 20 ms of the thread have passed, not forgiven at the next
        // window.
        budget.spent(10 * MS);
        assertThat(budget.mayRead(4 * MS)).isFalse();
        assertThat(budget.mayRead(12 * MS)).isFalse();
        assertThat(budget.mayRead(22 * MS)).isTrue();
    }

    @Test
    void shouldNotLetIdleTimeBankABurstLongerThanTheBudget()
    {
        final ReadBudget budget = new ReadBudget(MS, 2 * MS);
        assertThat(budget.mayRead(0)).isTrue();
        assertThat(budget.mayRead(Long.MAX_VALUE / 2)).as("a day idle, no overflow").isTrue();
        budget.spent(MS);
        assertThat(budget.mayRead(Long.MAX_VALUE / 2 + 1)).as("idle time is not saved up").isFalse();
    }
}
