package io.tickgate.gateway.cli;

import picocli.CommandLine;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Reads a file or directory option. An empty value is refused: {@code Path.of("")} is the current directory, so
 * {@code --record ''} from an unset shell variable would otherwise journal into wherever the gateway was started.
 */
final class PathConverter implements CommandLine.ITypeConverter<Path>
{
    @Override
    public Path convert(final String value)
    {
        if (value.isEmpty())
        {
            throw new CommandLine.TypeConversionException("an empty path; name a file or directory");
        }
        try
        {
            return Path.of(value);
        }
        catch (final InvalidPathException ex)
        {
            throw new CommandLine.TypeConversionException("not a path: '" + value + "'");
        }
    }
}
