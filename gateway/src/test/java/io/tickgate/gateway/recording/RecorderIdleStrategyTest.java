package io.tickgate.gateway.recording;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RecorderIdleStrategyTest
{
    @Test
    void shouldParkAfterAnyCycleShortOfFullReadAndGoOnAfterFullOne()
    {
        final RecorderIdleStrategy idle = new RecorderIdleStrategy(1_000_000, 4096);
        assertThat(idle.shouldPark(0)).as("nothing to do").isTrue();
        assertThat(idle.shouldPark(1)).as("a trickle: let a batch pile up").isTrue();
        assertThat(idle.shouldPark(4095)).isTrue();
        assertThat(idle.shouldPark(4096)).as("a full read: more is likely waiting").isFalse();
    }

    @Test
    void shouldRefuseParkOrFullReadThatIsNotPositive()
    {
        assertThatThrownBy(() -> new RecorderIdleStrategy(0, 4096)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RecorderIdleStrategy(1_000, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
