package io.tickgate.gateway.session;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which web pages may open sessions: the {@code Origin} a browser sends with every WebSocket handshake
 * (RFC 6455 10.2) checked against a list, so that a page of another site cannot read the feed with its visitors'
 * access to the gateway. Clients other than browsers send no {@code Origin} and are not affected. A page the
 * gateway serves itself (the trading UI) is always allowed: its origin names the host the request was sent to.
 * Immutable; any thread.
 */
public final class OriginPolicy
{
    /** Every origin allowed: the default. */
    public static final OriginPolicy ANY = new OriginPolicy(Set.of(), true);

    private static final Pattern ORIGIN = Pattern.compile("[a-z][a-z0-9+.-]*://[^/?#\\s,]+");

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
            if (!ORIGIN.matcher(origin).matches())
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
        if (allowed.contains(normalised))
        {
            return true;
        }
        if (null == host || host.isBlank())
        {
            return false;
        }
        final String sameHost = host.trim().toLowerCase(Locale.ROOT);
        return normalised.equals("http://" + sameHost) || normalised.equals("https://" + sameHost);
    }

    @Override
    public String toString()
    {
        return any ? "*" : String.join(",", new TreeSet<>(allowed));
    }

    /**
     * Origins compare without regard to ASCII case (RFC 6454 6.1 serialises scheme and host in lower case); a
     * trailing slash some tools add is dropped.
     */
    private static String normalise(final String origin)
    {
        final String lower = origin.trim().toLowerCase(Locale.ROOT);
        return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
