package io.tickgate.gateway.symbols;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SymbolRegistryTest
{
    @Test
    void shouldRefuseNewNamesOnceFullWithoutEverHandingOutASidAgain() throws Exception
    {
        final SymbolRegistry registry = new SymbolRegistry(2);
        final Symbol first = registry.register("A", 2, 0, 0);
        assertThat(registry.register("B", 2, 0, 0).sid()).isEqualTo(1);

        // A feed with more instruments than the table repeats their definitions every few seconds, for days.
        for (int i = 0; i < 1_000; i++)
        {
            assertThat(registry.register("C" + (i % 7), 2, 0, 0)).isNull();
        }
        assertThat(nextSid(registry).get()).as("refusals hand out nothing").isEqualTo(2);

        // Even a counter that had run far ahead must neither wrap nor reuse a sid.
        nextSid(registry).set(Integer.MAX_VALUE);
        for (int i = 0; i < 10; i++)
        {
            assertThat(registry.register("D" + i, 2, 0, 0)).isNull();
        }
        assertThat(registry.count()).isEqualTo(2);
        assertThat(registry.bySid(0)).isSameAs(first);
        assertThat(registry.register("A", 2, 0, 0)).as("known names are still refreshed").isSameAs(first);
    }

    private static AtomicInteger nextSid(final SymbolRegistry registry) throws Exception
    {
        final Field field = SymbolRegistry.class.getDeclaredField("nextSid");
        field.setAccessible(true);
        return (AtomicInteger)field.get(registry);
    }
}
