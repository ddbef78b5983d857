package io.tickgate.gateway.session;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which web pages may open sessions: the {@code Origin} a browser sends with every WebSocket handshake
 * (RFC 6455 10.2) checked against a list, so that a page of another site cannot read the feed with its visitors'
 * access to the gateway. Clients other than browsers send no {@code Origin} and are not affected. A page the
 * gateway serves itself (the trading UI) is allowed when it was loaded from an IP address or {@code localhost}: its
 * origin names the host the request was sent to. Through a DNS name that is no proof (a name an attacker controls
 * can be pointed at the gateway, DNS rebinding), so such a name's origin must be listed.
 * Immutable; any thread.
 */
public final class OriginPolicy
{
    /** Every origin allowed: the default. */
    public static final OriginPolicy ANY = new OriginPolicy(Set.of(), true);

    /** scheme://host[:port]: a name, an IPv4 address or a bracketed IPv6 one; no user, path, query or fragment. */
    private static final Pattern ORIGIN =
        Pattern.compile("([a-z][a-z0-9+.-]*)://([a-z0-9.-]+|\\[[0-9a-f:.]+])(?::([0-9]{1,5}))?");
    /** Hosts that name this machine or an address, not a DNS name someone else could point here. */
    private static final Pattern ADDRESS_HOST =
        Pattern.compile("localhost|[0-9]{1,3}(?:\\.[0-9]{1,3}){3}|\\[[0-9a-f:.]+]");

    private final Set<String> allowed;
    private final boolean any;

    private OriginPolicy(final Set<String> allowed, final boolean any)
    {
        this.allowed = allowed;
        this.any = any;
    }

    /**
     * From a comma-separated list of origins ({@code https://trading.example.com,http://localhost:3000}); empty or
     * {@code *} allows every origin.
     *
     * @throws IllegalArgumentException naming the first entry that is not an origin.
     */
    public static OriginPolicy parse(final String name, final String list)
    {
        final String trimmed = null == list ? "" : list.trim();
        if (trimmed.isEmpty() || "*".equals(trimmed))
        {
            return ANY;
        }
        final Set<String> allowed = new TreeSet<>();
        for (final String entry : trimmed.split(",", -1))
        {
            final String origin = normalise(entry);
            if (null == origin)
            {
                throw new IllegalArgumentException(name + " must be a comma-separated list of origins such as " +
                    "https://trading.example.com, or *: '" + entry.trim() + "' is not an origin");
            }
            allowed.add(origin);
        }
        return new OriginPolicy(Set.copyOf(allowed), false);
    }

    /**
     * Whether a handshake may go on.
     *
     * @param origin its {@code Origin} header, or null when it sent none (not a browser).
     * @param host   its {@code Host} header, or null.
     */
    public boolean allows(final String origin, final String host)
    {
        if (any || null == origin)
        {
            return true;
        }
        final String normalised = normalise(origin);
        if (null == normalised)
        {
            return false;
        }
        if (allowed.contains(normalised))
        {
            return true;
        }
        if (null == host || host.isBlank())
        {
            return false;
        }
        final String lowerHost = host.trim().toLowerCase(Locale.ROOT);
        final String hostName = lowerHost.startsWith("[") ? lowerHost.substring(0, lowerHost.indexOf(']') + 1) :
            lowerHost.contains(":") ? lowerHost.substring(0, lowerHost.indexOf(':')) : lowerHost;
        if (!ADDRESS_HOST.matcher(hostName).matches())
        {
            return false;
        }
        return normalised.equals(normalise("http://" + lowerHost)) ||
            normalised.equals(normalise("https://" + lowerHost));
    }

    @Override
    public String toString()
    {
        return any ? "*" : String.join(",", new TreeSet<>(allowed));
    }

    /**
     * An origin as RFC 6454 6.1 serialises it: scheme and host in lower case, no default port (80 for http, 443 for
     * https), no trailing slash (some tools add one); null when it is not an origin.
     */
    private static String normalise(final String origin)
    {
        String lower = origin.trim().toLowerCase(Locale.ROOT);
        if (lower.endsWith("/"))
        {
            lower = lower.substring(0, lower.length() - 1);
        }
        final Matcher parts = ORIGIN.matcher(lower);
        if (!parts.matches())
        {
            return null;
        }
        final String scheme = parts.group(1);
        final String port = parts.group(3);
        if (null == port)
        {
            return lower;
        }
        final int number = Integer.parseInt(port);
        if (number < 1 || number > 65_535)
        {
            return null;
        }
        final boolean defaultPort = ("http".equals(scheme) || "ws".equals(scheme)) && 80 == number ||
            ("https".equals(scheme) || "wss".equals(scheme)) && 443 == number;
        return scheme + "://" + parts.group(2) + (defaultPort ? "" : ":" + number);
    }
}
