package io.tidegate.logging;

import java.util.Locale;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration in code, found through {@code META-INF/services} before logback looks
 * for XML: reading a {@code logback.xml} loads an XML parser and Joran's model (about 900
 * classes, 0.3-0.5 s of a 2-3 s start-up), for five settings. Same settings as the XML had: one
 * console appender through {@link RedactingLayout} ({@code TIDEGATE_LOG_FORMAT}, text or json),
 * the root at {@code TIDEGATE_LOG_LEVEL} (INFO by default; a system property of the same name
 * wins, as logback's {@code ${...}} did), the chatty libraries at WARN. An unknown level falls
 * back to INFO here; {@code Config} rejects it with exit code 2 before anything runs.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    private static final Map<String, Level> QUIET = Map.of(
            "org.eclipse.jetty", Level.WARN, "io.javalin", Level.WARN,
            "software.amazon", Level.WARN, "com.amazonaws", Level.WARN,
            "org.kohsuke.github", Level.WARN, "okhttp3", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        RedactingLayout layout = new RedactingLayout();
        layout.setContext(context);
        layout.setFormat(setting("TIDEGATE_LOG_FORMAT", "text"));
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(context);
        encoder.setLayout(layout);
        encoder.start();
        ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
        out.setContext(context);
        out.setName("OUT");
        out.setEncoder(encoder);
        out.addFilter(saidElsewhere());
        out.start();
        QUIET.forEach((name, level) -> context.getLogger(name).setLevel(level));
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(setting("TIDEGATE_LOG_LEVEL", "INFO")
                .toUpperCase(Locale.ROOT), Level.INFO));
        root.addAppender(out);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Javalin's own start-failure line: Javalin rethrows, and `serve` says why in one line. */
    private static final String JAVALIN_START_FAILED = "Failed to start Javalin";

    /**
     * Drops the log lines that only repeat what is said better elsewhere: Javalin's ERROR
     * "Failed to start Javalin" (no reason, no stack trace) stood before the one line that names
     * the port, the bind address and the socket's reason.
     */
    private static Filter<ILoggingEvent> saidElsewhere() {
        Filter<ILoggingEvent> filter = new Filter<>() {
            @Override
            public FilterReply decide(ILoggingEvent event) {
                return event.getLoggerName().equals("io.javalin.Javalin")
                        && JAVALIN_START_FAILED.equals(event.getMessage())
                        ? FilterReply.DENY : FilterReply.NEUTRAL;
            }
        };
        filter.start();
        return filter;
    }

    private static String setting(String name, String fallback) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank()) {
            value = System.getenv(name);
        }
        return value == null || value.isBlank() ? fallback : value.trim();
    }
}
