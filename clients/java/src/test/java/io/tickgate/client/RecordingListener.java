package io.tickgate.client;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps every update, frame, status change and error a client reports (the last two with when they came), for
 * tests to poll. A test that needs a listener to do more (throw, close the client) extends it and calls super.
 */
class RecordingListener implements TickgateListener
{
    /** One reported event. */
    record Event(String what, String detail, long atNs)
    {
    }

    final List<Event> statuses = new CopyOnWriteArrayList<>();
    final List<Event> errors = new CopyOnWriteArrayList<>();
    final List<String> updates = new CopyOnWriteArrayList<>();
    final List<String> frames = new CopyOnWriteArrayList<>();

    @Override
    public void onUpdate(final MarketData data, final boolean snapshot)
    {
        updates.add((snapshot ? "S " : "U ") + data.symbol() + " " + (data.hasValue() ? data.bidPrice() : "-"));
    }

    @Override
    public void onFrame(final int kind, final int entries)
    {
        frames.add(kind + " " + entries);
    }

    @Override
    public void onStatus(final ConnectionStatus status, final String detail)
    {
        statuses.add(new Event(status.name(), detail, System.nanoTime()));
    }

    @Override
    public void onError(final ClientError error, final String message)
    {
        errors.add(new Event(error.name(), message, System.nanoTime()));
    }

    boolean hasError(final ClientError error)
    {
        return errors.stream().anyMatch(e -> e.what().equals(error.name()));
    }

    Event firstError(final ClientError error)
    {
        return errors.stream().filter(e -> e.what().equals(error.name())).findFirst().orElseThrow();
    }

    long count(final ClientError error)
    {
        return errors.stream().filter(e -> e.what().equals(error.name())).count();
    }
}
