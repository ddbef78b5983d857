package io.tickgate.gateway.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ControlMessageAdapterTest
{
    private final ControlMessageAdapter adapter = new ControlMessageAdapter(new ObjectMapper(), 4096);

    @Test
    void shouldSayWhichParserLimitAWellFormedRequestExceedsNotThatItIsMalformed()
    {
        final String deep = "{\"op\":\"ping\",\"id\":5,\"x\":" + "[".repeat(1_100) + "]".repeat(1_100) + "}";
        final String longNumber = "{\"op\":\"ping\",\"id\":5,\"x\":" + "9".repeat(1_500) + "}";
        final String longName = "{\"op\":\"ping\",\"id\":5,\"" + "k".repeat(60_000) + "\":1}";

        assertThat(badRequest(deep)).isEqualTo(
            "request too complex: Document nesting depth (1001) exceeds the maximum allowed (1000)");
        assertThat(badRequest(longNumber)).startsWith("request too complex: Number value length (")
            .contains("exceeds the maximum allowed (1000)");
        assertThat(badRequest(longName)).startsWith("request too complex: Name length (")
            .contains("exceeds the maximum allowed (50000)");
        assertThat(badRequest("{\"op\":\"ping\",\"id\":5")).as("truly malformed").isEqualTo("malformed JSON");

        final Recorded within = new Recorded();
        adapter.onMessage(bytes("{\"op\":\"ping\",\"id\":5,\"x\":" + "[".repeat(900) + "]".repeat(900) + "}"),
            bytes("{\"op\":\"ping\",\"id\":5,\"x\":" + "[".repeat(900) + "]".repeat(900) + "}").length, within);
        assertThat(within.pings).containsExactly(5L);
    }

    @Test
    void shouldRefuseANullIdRatherThanCarryOutARequestItsReplyCannotBeMatchedTo()
    {
        assertThat(badRequest("{\"op\":\"ping\",\"id\":null}"))
            .isEqualTo("id must be an integer; leave it out to send none");
        assertThat(badRequest("{\"op\":\"throttle\",\"id\":null,\"maxRateHz\":2}"))
            .isEqualTo("id must be an integer; leave it out to send none");
        assertThat(badRequest("{\"op\":\"ping\",\"id\":4,\"id\":null}")).as("the last of a repeated key counts")
            .isEqualTo("id must be an integer; leave it out to send none");

        final Recorded withoutId = new Recorded();
        final byte[] ping = bytes("{\"op\":\"ping\"}");
        adapter.onMessage(ping, ping.length, withoutId);
        assertThat(withoutId.pings).as("no id at all is still fine").containsExactly((Long)null);
        assertThat(withoutId.errors).isEmpty();
    }

    private String badRequest(final String request)
    {
        final Recorded recorded = new Recorded();
        final byte[] bytes = bytes(request);
        adapter.onMessage(bytes, bytes.length, recorded);
        assertThat(recorded.errors).as(request.substring(0, Math.min(40, request.length()))).hasSize(1);
        return recorded.errors.get(0);
    }

    private static byte[] bytes(final String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static final class Recorded implements ControlListener
    {
        final List<String> errors = new ArrayList<>();
        final List<Long> pings = new ArrayList<>();

        @Override
        public void onSubscribe(final Long id, final List<String> symbols)
        {
        }

        @Override
        public void onUnsubscribe(final Long id, final List<String> symbols)
        {
        }

        @Override
        public void onThrottle(final Long id, final int maxRateHz)
        {
        }

        @Override
        public void onPing(final Long id)
        {
            pings.add(id);
        }

        @Override
        public void onBadRequest(final Long id, final String code, final String message)
        {
            assertThat(code).isEqualTo(ControlMessageAdapter.BAD_REQUEST);
            errors.add(message);
        }
    }
}
