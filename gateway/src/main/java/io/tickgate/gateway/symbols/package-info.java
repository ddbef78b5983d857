/**
 * Owns the table of known symbols and their gateway symbol ids ({@code sid}). Definitions are registered by feed
 * sources (the feed handler, the embedded simulator) on their own threads; sessions, the conflator and HTTP
 * handlers read it from any thread. Registration is rare (a new instrument) and never on the per-tick path.
 */
package io.tickgate.gateway.symbols;
