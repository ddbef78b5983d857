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

    /**
     * Why the upgrade failed, in words for one log line, or null when it was accepted. A 101 with a wrong header is
     * named by that header: quoting its status line alone would read as if a successful answer had been refused.
     */
    static String refusal(final String head, final String expectedAccept)
    {
        final String[] lines = head.split("\r\n");
        final String status = lines.length == 0 ? "" : lines[0];
        if (!status.matches("HTTP/1\\.1 101( .*)?"))
        {
            return "upgrade refused: " + status;
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
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
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                default ->
                {
                }
            }
        }
        if (!"websocket".equalsIgnoreCase(upgrade))
        {
            return "upgrade answered 101 with Upgrade: " + (null == upgrade ? "(missing)" : upgrade) +
                ", not websocket";
        }
        if (null == connection || !connection.toLowerCase(Locale.ROOT).contains("upgrade"))
        {
            return "upgrade answered 101 with Connection: " + (null == connection ? "(missing)" : connection) +
                ", not Upgrade";
        }
        if (!expectedAccept.equals(accept))
        {
            return "upgrade answered 101 with a wrong Sec-WebSocket-Accept: " +
                (null == accept ? "(missing)" : accept) + ", expected " + expectedAccept +
                " (the server does not derive it from the key as RFC 6455 section 4.2.2 says)";
        }
        return null;
    }
}
