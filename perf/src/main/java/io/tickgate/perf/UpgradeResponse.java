package io.tickgate.perf;

import java.util.Locale;

/**
 * Checks a server's answer to the upgrade request (RFC 6455 section 4.1): status 101, {@code Upgrade: websocket},
 * {@code Connection: Upgrade} and the {@code Sec-WebSocket-Accept} derived from the key the client sent. Stateless.
 */
final class UpgradeResponse
{
    private UpgradeResponse()
    {
    }

    static boolean isAccepted(final String head, final String expectedAccept)
    {
        final String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].matches("HTTP/1\\.1 101( .*)?"))
        {
            return false;
        }
        boolean upgrade = false;
        boolean connection = false;
        boolean accept = false;
        for (int i = 1; i < lines.length; i++)
        {
            final int colon = lines[i].indexOf(':');
            if (colon <= 0)
            {
                continue;
            }
            final String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            final String value = lines[i].substring(colon + 1).trim();
            switch (name)
            {
                case "upgrade" -> upgrade = "websocket".equalsIgnoreCase(value);
                case "connection" -> connection = value.toLowerCase(Locale.ROOT).contains("upgrade");
                case "sec-websocket-accept" -> accept = expectedAccept.equals(value);
                default ->
                {
                }
            }
        }
        return upgrade && connection && accept;
    }
}
