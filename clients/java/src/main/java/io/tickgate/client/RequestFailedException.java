package io.tickgate.client;

/**
 * Completes a request's future when the gateway answers with an {@code error} reply, or when the client closes
 * before the answer came.
 */
public final class RequestFailedException extends RuntimeException
{
    private final String code;

    public RequestFailedException(final String code, final String message)
    {
        super(code + ": " + message);
        this.code = code;
    }

    /**
     * The gateway's error code ({@code BAD_REQUEST}, {@code TOO_LARGE}, ...) or {@code CLOSED}.
     */
    public String code()
    {
        return code;
    }
}
