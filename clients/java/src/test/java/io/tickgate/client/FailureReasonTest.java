package io.tickgate.client;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class FailureReasonTest
{
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    @Test
    void shouldSayConnectionRefusedWhenConnectExceptionHasNoMessage()
    {
        assertThat(FailureReason.describe(new CompletionException(new ConnectException())))
            .isEqualTo("connection refused");
    }

    @Test
    void shouldSayUnknownHostWhenAddressIsUnresolved()
    {
        final ConnectException ex = new ConnectException();
        ex.initCause(new UnresolvedAddressException());
        assertThat(FailureReason.describe(new CompletionException(ex))).isEqualTo("unknown host");
    }

    @Test
    void shouldNameTheRootCauseWhenItHasNoMessage()
    {
        assertThat(FailureReason.describe(new CompletionException(new IOException()))).isEqualTo("IOException");
    }

    @Test
    void shouldSayTimedOutWithTheTimeoutWhenAnAttemptRanItOut()
    {
        assertThat(FailureReason.notOpened(new IOException("connection closed locally"), TIMEOUT_NS, TIMEOUT_NS))
            .isEqualTo("timed out after 5000 ms");
        assertThat(FailureReason.notOpened(new HttpTimeoutException("request timed out"), 0, TIMEOUT_NS))
            .isEqualTo("timed out after 5000 ms");
    }

    @Test
    void shouldDescribeTheCauseWhenAnAttemptFailedBeforeItsTimeout()
    {
        assertThat(FailureReason.notOpened(new ConnectException(), 0, TIMEOUT_NS)).isEqualTo("connection refused");
    }

    @Test
    void shouldWordAbnormalClosureAndGatewayCloses()
    {
        assertThat(FailureReason.closed(1006, "")).isEqualTo("connection lost without a close frame (1006)");
        assertThat(FailureReason.closed(1001, "")).isEqualTo("closed by the gateway: 1001");
        assertThat(FailureReason.closed(1008, "slow consumer")).isEqualTo("closed by the gateway: 1008 slow consumer");
    }

    @Test
    void shouldSayTheJdkFailedWhenWebSocketThrowsInternalError()
    {
        assertThat(FailureReason.failed(new InternalError("demand")))
            .isEqualTo("connection lost (the JDK's WebSocket failed at its end: InternalError)");
        assertThat(FailureReason.failed(new IOException("reset"))).isEqualTo("connection failed: reset");
    }
}
