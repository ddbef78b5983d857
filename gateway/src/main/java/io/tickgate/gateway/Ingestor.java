package io.tickgate.gateway;

import io.tickgate.gateway.conflation.Conflator;
import io.tickgate.gateway.feed.FeedHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * The UDP feed handler and the conflator as one agent: each duty cycle reads datagrams into the ingress ring, then
 * drains the ring into the last-value cache. A tick then crosses no thread between the socket and the marks on its
 * subscribers, which saves a wake-up (and its latency) per burst and a runnable thread on a small machine. It runs
 * on an IO thread by default ({@link IoThreadIngest}), or on a thread of its own, tickgate-ingest, whose idle
 * strategy sleeps in a select on the feed socket. Other producers (the embedded simulator, a replay) still publish
 * into the ring from their own threads and wake it.
 * <p>
 * Not thread-safe: runs only on the one thread that runs it.
 */
final class Ingestor implements Agent
{
    private final FeedHandler feedHandler;
    private final Conflator conflator;

    Ingestor(final FeedHandler feedHandler, final Conflator conflator)
    {
        this.feedHandler = feedHandler;
        this.conflator = conflator;
    }

    /**
     * What the feed handler's publisher does when the ring is full: the consumer is this very thread, so waiting
     * would never end; it conflates instead, which makes room.
     */
    static IdleStrategy conflateWhenFull(final Conflator conflator)
    {
        return new IdleStrategy()
        {
            @Override
            public void idle(final int workCount)
            {
                idle();
            }

            @Override
            public void idle()
            {
                conflator.doWork();
            }

            @Override
            public void reset()
            {
            }
        };
    }

    @Override
    public void onStart()
    {
        feedHandler.onStart();
        conflator.onStart();
    }

    @Override
    public int doWork() throws Exception
    {
        return feedHandler.doWork() + conflator.doWork();
    }

    @Override
    public void onClose()
    {
        try
        {
            feedHandler.onClose();
        }
        finally
        {
            conflator.onClose();
        }
    }

    @Override
    public String roleName()
    {
        return "tickgate-ingest";
    }
}
