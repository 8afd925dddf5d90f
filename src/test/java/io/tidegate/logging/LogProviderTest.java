package io.tidegate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;

/**
 * The SLF4J binding {@code Main} names: logback set up exactly as {@link LogSetup} sets it up
 * when logback finds it itself (tests and tools get that path), secrets still redacted.
 */
class LogProviderTest {

    @AfterEach
    void forget() {
        SecretRedactor.clear();
    }

    @Test
    void theProviderConfiguresLogbackAsLogSetupDoes() {
        LogProvider provider = new LogProvider();
        provider.initialize();

        LoggerContext context = (LoggerContext) provider.getLoggerFactory();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("OUT")).isNotNull();
        assertThat(context.getLogger("org.eclipse.jetty").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("okhttp3").getLevel()).isEqualTo(Level.WARN);
        assertThat(context.isStarted()).isTrue();
        assertThat(provider.getMDCAdapter()).isInstanceOf(LogbackMDCAdapter.class);
        assertThat(provider.getMarkerFactory().getMarker("x").getName()).isEqualTo("x");
        // SLF4J 2 refuses a provider asking for an API below 2.0
        assertThat(provider.getRequestedApiVersion()).startsWith("2.");
        context.stop();
    }

    @Test
    void linesGoThroughTheRedactingLayout() {
        SecretRedactor.register("hook-secret-value");
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context;
        // the console appender takes System.out when it starts
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LogProvider provider = new LogProvider();
            provider.initialize();
            context = (LoggerContext) provider.getLoggerFactory();
            context.getLogger("io.tidegate.Example").warn("secret is {}", "hook-secret-value");
        } finally {
            System.setOut(out);
        }
        context.stop();

        assertThat(captured.toString(StandardCharsets.UTF_8))
                .contains("WARN  Example - secret is ****")
                .doesNotContain("hook-secret-value");
    }
}
