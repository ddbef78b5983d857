package io.tickgate.simulator.recording;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The terminal check that decides between redraws and plain output, for every kind of JDK.
 */
class ProgressBarTest
{
    /** What JDK 22 to 24 return from {@code System.console()} when output is redirected. */
    public static final class RedirectedConsole
    {
        public boolean isTerminal()
        {
            return false;
        }
    }

    /** The same JDKs in a terminal. */
    public static final class TerminalConsole
    {
        public boolean isTerminal()
        {
            return true;
        }
    }

    @Test
    void shouldNotTakeAConsoleForATerminalWhenTheJdkSaysOutputIsRedirected() throws Exception
    {
        assertThat(ProgressBar.isTerminal(new RedirectedConsole(), RedirectedConsole.class.getMethod("isTerminal")))
            .isFalse();
        assertThat(ProgressBar.isTerminal(new TerminalConsole(), TerminalConsole.class.getMethod("isTerminal")))
            .isTrue();
        assertThat(ProgressBar.isTerminal(new Object(), null)).as("JDK 17 to 21: a console means a terminal").isTrue();
        assertThat(ProgressBar.isTerminal(null, null)).isFalse();
    }

    @Test
    void shouldSeeNoTerminalWhenOutputIsPiped()
    {
        // Surefire's fork writes to a pipe, whatever the JDK.
        assertThat(ProgressBar.isTerminal()).isFalse();
        final StringWriter out = new StringWriter();
        new ProgressBar(new PrintWriter(out), ProgressBar.isTerminal(), "B").update(1, 2);
        assertThat(out.toString()).isEmpty();
    }
}
