/**
 * The HTTP surface on the gateway's one port: {@code /ws} (handed to the session package), {@code /metrics},
 * {@code /health}, {@code /api/symbols} and the static trading page. JSON and scrape handlers run on Undertow
 * worker threads, never on the IO threads that write market data; they only read state others own.
 */
package io.tickgate.gateway.http;
