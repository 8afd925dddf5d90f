package io.tidegate.logging;

import java.time.Instant;
import java.util.Map;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;

/**
 * One line per event, as text or JSON ({@code TIDEGATE_LOG_FORMAT}), with every message and stack
 * trace passed through {@link SecretRedactor}. MDC entries (delivery id, PR) are appended.
 */
public final class RedactingLayout extends LayoutBase<ILoggingEvent> {
    private boolean json;

    /** Set from logback.xml; anything but "json" (any case) means text. */
    public void setFormat(String format) {
        this.json = "json".equalsIgnoreCase(format == null ? "" : format.trim());
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        String message = SecretRedactor.redact(event.getFormattedMessage());
        String error = throwable(event.getThrowableProxy());
        return json ? jsonLine(event, message, error) : textLine(event, message, error);
    }

    private static String throwable(IThrowableProxy proxy) {
        return proxy == null ? "" : SecretRedactor.redact(ThrowableProxyUtil.asString(proxy));
    }

    private static String textLine(ILoggingEvent e, String message, String error) {
        StringBuilder b = new StringBuilder(160)
                .append(Instant.ofEpochMilli(e.getTimeStamp())).append(' ')
                .append(String.format("%-5s", e.getLevel())).append(' ')
                .append(shortName(e.getLoggerName())).append(" - ")
                .append(message);
        for (Map.Entry<String, String> m : e.getMDCPropertyMap().entrySet()) {
            b.append(' ').append(m.getKey()).append('=')
                    .append(SecretRedactor.redact(m.getValue()));
        }
        b.append(CoreConstants.LINE_SEPARATOR);
        if (!error.isEmpty()) {
            b.append(error).append(CoreConstants.LINE_SEPARATOR);
        }
        return b.toString();
    }

    private static String jsonLine(ILoggingEvent e, String message, String error) {
        StringBuilder b = new StringBuilder(200).append('{');
        field(b, "time", Instant.ofEpochMilli(e.getTimeStamp()).toString()).append(',');
        field(b, "level", e.getLevel().toString()).append(',');
        field(b, "logger", e.getLoggerName()).append(',');
        field(b, "thread", e.getThreadName()).append(',');
        field(b, "message", message);
        for (Map.Entry<String, String> m : e.getMDCPropertyMap().entrySet()) {
            field(b.append(','), m.getKey(), SecretRedactor.redact(m.getValue()));
        }
        if (!error.isEmpty()) {
            field(b.append(','), "error", error);
        }
        return b.append('}').append(CoreConstants.LINE_SEPARATOR).toString();
    }

    private static StringBuilder field(StringBuilder b, String name, String value) {
        return quote(quote(b, name).append(':'), value);
    }

    private static StringBuilder quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"');
    }

    private static String shortName(String logger) {
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }
}
