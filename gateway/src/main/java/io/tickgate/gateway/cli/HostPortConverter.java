package io.tickgate.gateway.cli;

import picocli.CommandLine;

import java.net.InetSocketAddress;

/**
 * Reads {@code HOST:PORT} for {@code --to}.
 */
final class HostPortConverter implements CommandLine.ITypeConverter<InetSocketAddress>
{
    @Override
    public InetSocketAddress convert(final String value)
    {
        final int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1)
        {
            throw new CommandLine.TypeConversionException("expected HOST:PORT, got '" + value + "'");
        }
        final int port;
        try
        {
            port = Integer.parseInt(value.substring(colon + 1));
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("port must be a number in '" + value + "'");
        }
        if (port < 1 || port > 65535)
        {
            throw new CommandLine.TypeConversionException("port must be from 1 to 65535 in '" + value + "'");
        }
        final InetSocketAddress address = new InetSocketAddress(value.substring(0, colon), port);
        if (address.isUnresolved())
        {
            throw new CommandLine.TypeConversionException("unknown host in '" + value + "'");
        }
        return address;
    }
}
