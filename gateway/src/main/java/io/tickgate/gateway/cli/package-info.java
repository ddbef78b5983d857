/**
 * The {@code tickgate} launcher's commands, parsed with picocli. Runs on the main thread; each command starts
 * what it needs and waits for Ctrl-C or SIGTERM. Usage errors exit 2 with one line and the usage; failures at run
 * time exit 1 with one line; neither prints a stack trace.
 */
package io.tickgate.gateway.cli;
