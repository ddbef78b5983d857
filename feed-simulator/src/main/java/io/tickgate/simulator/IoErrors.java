package io.tickgate.simulator;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Objects;

/**
 * Says in words why a file operation failed. The JDK's file-system exceptions often carry only the path as their
 * message ({@code NoSuchFileException: /proc/x}), which printed alone tells a person nothing.
 */
public final class IoErrors
{
    private IoErrors()
    {
    }

    /**
     * The reason, with the file it concerns unless that is {@code context}, which the caller already names:
     * {@code no such file or directory}, or {@code /data/rec/segment-000001.tkr: permission denied}.
     */
    public static String describe(final IOException ex, final Object context)
    {
        if (ex instanceof FileSystemException)
        {
            final FileSystemException fse = (FileSystemException)ex;
            final String file = fse.getFile();
            final String reason = reason(fse);
            return null == file || Objects.equals(file, String.valueOf(context)) ? reason : file + ": " + reason;
        }
        return null == ex.getMessage() || ex.getMessage().isBlank() ? ex.getClass().getSimpleName() : ex.getMessage();
    }

    private static String reason(final FileSystemException ex)
    {
        if (null != ex.getReason())
        {
            return ex.getReason();
        }
        if (ex instanceof NoSuchFileException)
        {
            return "no such file or directory";
        }
        if (ex instanceof AccessDeniedException)
        {
            return "permission denied";
        }
        if (ex instanceof FileAlreadyExistsException)
        {
            return "exists and is not a directory";
        }
        if (ex instanceof NotDirectoryException)
        {
            return "not a directory";
        }
        if (ex instanceof DirectoryNotEmptyException)
        {
            return "directory not empty";
        }
        return ex.getClass().getSimpleName();
    }
}
