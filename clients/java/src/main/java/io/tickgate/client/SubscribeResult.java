package io.tickgate.client;

import java.util.List;
import java.util.Map;

/**
 * The gateway's {@code subscribed} reply: the symbols it accepted and, by symbol, the reasons it rejected others
 * ({@code UNKNOWN_SYMBOL}, {@code LIMIT_EXCEEDED}, ...). Immutable.
 */
public record SubscribeResult(List<String> accepted, Map<String, String> rejected)
{
    public SubscribeResult
    {
        accepted = List.copyOf(accepted);
        rejected = Map.copyOf(rejected);
    }
}
