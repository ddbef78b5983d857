package io.tickgate.gateway.cli;

import io.tickgate.gateway.AsciiDecimal;
import picocli.CommandLine;

import java.net.InetSocketAddress;
import java.net.URI;

/**
 * Reads {@code HOST:PORT} for {@code --to}: a host that does not resolve is a usage error.
 */
class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress>
{
    /**
     * For {@code watch --gateway}: the host is resolved when connecting, so one that does not resolve is a gateway
     * that could not be reached (exit 1, like nothing listening), not a malformed option.
     */
    static final class Unresolved extends HostPortConverter
    {
        @Override
        public InetSocketAddress convert(final String value)
        {
            final InetSocketAddress parsed = parse(value);
            final InetSocketAddress address = parsed.isUnresolved() ? parsed :
                InetSocketAddress.createUnresolved(parsed.getHostString(), parsed.getPort());
            try
            {
                // A host with '/', '?', '#' or '@' in it still makes a URI, of another host or port.
                final URI uri = webSocketUri(address);
                if (null != uri.getHost() && address.getPort() == uri.getPort() && null == uri.getRawUserInfo() &&
                    "/ws".equals(uri.getRawPath()) && null == uri.getRawQuery() && null == uri.getRawFragment())
                {
                    return address;
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // not a URI at all: a space, say
            }
            throw new CommandLine.TypeConversionException("not a host name in '" + value + "'");
        }
    }

    /**
     * The gateway's WebSocket endpoint, {@code ws://HOST:PORT/ws}, an IPv6 literal in brackets; throws
     * {@link IllegalArgumentException} when the host cannot be in a URI, and has a null host when it is no host name
     * (an underscore, say).
     */
    static URI webSocketUri(final InetSocketAddress gateway)
    {
        final String host = gateway.getHostString();
        return URI.create("ws://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + gateway.getPort() +
            "/ws");
    }

    @Override
    public InetSocketAddress convert(final String value)
    {
        final InetSocketAddress address = parse(value);
        if (address.isUnresolved())
        {
            throw new CommandLine.TypeConversionException("unknown host in '" + value + "'");
        }
        return address;
    }

    static InetSocketAddress parse(final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1)
        {
            throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + value + "'");
        }
        final int port;
        try
        {
            port = AsciiDecimal.parseInt(value.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("port must be a number in '" + value + "'");
        }
        if (port < 1 || port > 65535)
        {
            throw new CommandLine.TypeConversionException("port must be from 1 to 65535 in '" + value + "'");
        }
        return new InetSocketAddress(value.substring(0, colon), port);
    }
}
