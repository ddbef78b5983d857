package io.tickgate.gateway.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OriginPolicyTest
{
    private static final String NAME = "tickgate.http.allowed.origins";

    @Test
    void shouldAllowEveryOriginWhenNoneIsListed()
    {
        for (final String any : new String[]{"", " ", "*", null})
        {
            assertThat(OriginPolicy.parse(NAME, any).allows("https://anywhere.example", "gateway:8080")).isTrue();
        }
    }

    @Test
    void shouldAllowListedOriginsTheGatewaysOwnPagesAndClientsWithoutOrigin()
    {
        final OriginPolicy policy = OriginPolicy.parse(NAME, "https://Trading.Example.com/,http://localhost:3000");

        assertThat(policy.allows("https://trading.example.com", "gw:8080")).isTrue();
        assertThat(policy.allows("HTTP://LOCALHOST:3000", "gw:8080")).isTrue();
        assertThat(policy.allows(null, "gw:8080")).as("not a browser").isTrue();
        assertThat(policy.allows("http://127.0.0.1:8080", "127.0.0.1:8080")).as("the gateway's own UI").isTrue();
        assertThat(policy.allows("http://LocalHost:8080", "localhost:8080")).isTrue();
        assertThat(policy.allows("https://[::1]:8080", "[::1]:8080")).as("behind a TLS proxy").isTrue();
        assertThat(policy.allows("http://10.1.2.3", "10.1.2.3:80")).as("a default port written out").isTrue();
        // Through a DNS name the Host proves nothing: a rebinding name an attacker owns resolves to the gateway.
        assertThat(policy.allows("http://evil.example:8080", "evil.example:8080")).isFalse();
        assertThat(policy.allows("http://gw:8080", "gw:8080")).as("a name must be listed").isFalse();
        assertThat(policy.allows("https://trading.example.com:443", "gw")).as("its default port").isTrue();

        assertThat(policy.allows("https://trading.example.com.evil.example", "gw:8080")).isFalse();
        assertThat(policy.allows("http://trading.example.com", "gw:8080")).as("another scheme").isFalse();
        assertThat(policy.allows("http://localhost:3001", "gw:8080")).as("another port").isFalse();
        assertThat(policy.allows("null", "gw:8080")).as("an opaque origin").isFalse();
        assertThat(policy.allows("http://gw:8081", "gw:8080")).isFalse();
        assertThat(policy.allows("https://elsewhere.example", null)).isFalse();
        assertThat(policy.allows("", "gw:8080")).isFalse();
    }

    @Test
    void shouldRefuseAListWithSomethingThatIsNotAnOrigin()
    {
        for (final String bad : new String[]{"trading.example.com", "https://a.example/path", "https://a.example,,",
            "https://a.example, *", "ftp//x", "http://user@a.example", "http://a.example:99999", "http://a.example:0",
            "https://a.example?x", "https://a.example#f"})
        {
            assertThatThrownBy(() -> OriginPolicy.parse(NAME, bad)).as(bad)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(NAME + " must be a comma-separated list of origins");
        }
    }
}
