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
        assertThat(policy.allows("http://gw:8080", "GW:8080")).as("the gateway's own UI").isTrue();
        assertThat(policy.allows("https://gw:8080", "gw:8080")).as("behind a TLS proxy").isTrue();

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
            "https://a.example, *", "ftp//x"})
        {
            assertThatThrownBy(() -> OriginPolicy.parse(NAME, bad)).as(bad)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(NAME + " must be a comma-separated list of origins");
        }
    }
}
