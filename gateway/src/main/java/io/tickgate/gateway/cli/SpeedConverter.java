package io.tickgate.gateway.cli;

import picocli.CommandLine;

/**
 * Reads {@code --speed}: a positive number (1 = recorded pace, 10 = ten times faster) or {@code max}, read as 0.
 */
final class SpeedConverter implements CommandLine.ITypeConverter<Double>
{
    @Override
    public Double convert(final String value)
    {
        if ("max".equalsIgnoreCase(value))
        {
            return 0.0;
        }
        final double speed;
        try
        {
            speed = Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new CommandLine.TypeConversionException("speed must be a positive number or max: '" + value + "'");
        }
        if (!(speed > 0) || Double.isInfinite(speed))
        {
            throw new CommandLine.TypeConversionException("speed must be a positive number or max: '" + value + "'");
        }
        return speed;
    }
}
