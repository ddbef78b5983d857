package io.tickgate.gateway.session;

import java.util.List;

/**
 * Receives the client's control requests once they parsed and validated. {@code id} is null when the request
 * carried none.
 */
interface ControlListener
{
    void onSubscribe(Long id, List<String> symbols);

    void onUnsubscribe(Long id, List<String> symbols);

    void onThrottle(Long id, int maxRateHz);

    void onPing(Long id);

    /**
     * A request that cannot be carried out; the session replies {@code error} and changes nothing.
     */
    void onBadRequest(Long id, String code, String message);
}
