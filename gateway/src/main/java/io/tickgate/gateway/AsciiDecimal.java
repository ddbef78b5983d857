package io.tickgate.gateway;

/**
 * Whole numbers as people write them in flags, configuration files and addresses: ASCII digits with an optional
 * sign. The JDK's integer parsers also take the decimal digits of other scripts ({@code "٢٠١٧٣"} is 20173 to
 * {@link Integer#parseInt(String)}), so pasted text could bind a port or set an interval no one read as a number.
 * <p>
 * Stateless; any thread.
 */
public final class AsciiDecimal
{
    private AsciiDecimal()
    {
    }

    /**
     * As {@link Integer#parseInt(String)}, refusing any character outside ASCII.
     */
    public static int parseInt(final String text)
    {
        return Integer.parseInt(requireAscii(text));
    }

    /**
     * As {@link Long#parseLong(String)}, refusing any character outside ASCII.
     */
    public static long parseLong(final String text)
    {
        return Long.parseLong(requireAscii(text));
    }

    private static String requireAscii(final String text)
    {
        for (int i = 0, length = text.length(); i < length; i++)
        {
            if (text.charAt(i) > 0x7F)
            {
                throw new NumberFormatException("not ASCII digits: \"" + text + "\"");
            }
        }
        return text;
    }
}
