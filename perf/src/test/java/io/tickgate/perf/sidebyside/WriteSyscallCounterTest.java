package io.tickgate.perf.sidebyside;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WriteSyscallCounterTest
{
    @Test
    void shouldSumEveryWriteClassEventOfPerfStatCsv()
    {
        final WriteSyscallCounter.Count count = WriteSyscallCounter.parse(List.of(
            "# started on Fri Dec  4 17:24:01 2026", "",
            "182989,,syscalls:sys_enter_write,7430094994,100.00,,",
            "11,,syscalls:sys_enter_writev,7430094994,100.00,,",
            "0,,syscalls:sys_enter_sendto,7430094994,100.00,,",
            "5,,syscalls:sys_enter_sendmsg,7430094994,100.00,,"), 0, 10);

        assertThat(count.count()).isEqualTo(182_989 + 11 + 5);
        assertThat(count.seconds()).as("the sleep, not the counters' run time (CPU time)").isEqualTo(10.0);
        assertThat(count.perSecond()).isEqualTo((182_989 + 11 + 5) / 10.0);
        assertThat(count.source()).startsWith("perf stat");
    }

    @Test
    void shouldRefuseAPartialCountWhenAnEventWasNotCounted()
    {
        final WriteSyscallCounter.Count count = WriteSyscallCounter.parse(List.of(
            "182989,,syscalls:sys_enter_write,8791052,100.00,,",
            "<not counted>,,syscalls:sys_enter_writev,0,100.00,,",
            "0,,syscalls:sys_enter_sendto,8791052,100.00,,",
            "5,,syscalls:sys_enter_sendmsg,8791052,100.00,,"), 0, 10);

        assertThat(count.count()).isEqualTo(-1);
        assertThat(count.source()).contains("sys_enter_writev <not counted>");
    }

    @Test
    void shouldSayHowManyEventsPerfCountedWhenItFailed()
    {
        final WriteSyscallCounter.Count count = WriteSyscallCounter.parse(List.of(
            "Error: No permissions to read /sys/kernel/tracing/events/syscalls"), 255, 10);

        assertThat(count.count()).isEqualTo(-1);
        assertThat(count.source()).isEqualTo("perf stat counted 0 of 4 events (exit 255)");
    }
}
