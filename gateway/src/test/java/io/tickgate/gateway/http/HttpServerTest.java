package io.tickgate.gateway.http;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HttpServerTest
{
    @Test
    void shouldShowAPathWithControlCharactersEscapedAndMarkOnlyACutOne()
    {
        assertThat(HttpServer.printable("/a\u0000b")).isEqualTo("/a\\u0000b");
        final String escapedWhole = "/" + "x".repeat(170) + "\u0001".repeat(5);
        assertThat(HttpServer.printable(escapedWhole)).as("nothing cut, though escapes made it long")
            .isEqualTo("/" + "x".repeat(170) + "\\u0001".repeat(5));
        assertThat(HttpServer.printable("/" + "y".repeat(500))).isEqualTo("/" + "y".repeat(199) + "...");
    }
}
