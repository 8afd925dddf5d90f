package io.tidegate.web;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Small wordings the pages share: durations, times, verdict words and their symbols. */
public final class Texts {
    private static final DateTimeFormatter SHORT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ENGLISH);

    private Texts() {}

    /** {@code 3 d 4 h}, {@code 2 h 5 min}, {@code 12 min}, {@code under a minute}. */
    public static String duration(Duration d) {
        long m = Math.max(0, d.toMinutes());
        if (m < 1) {
            return "under a minute";
        }
        if (m < 60) {
            return m + " min";
        }
        long h = m / 60;
        if (h < 24) {
            return h + " h " + (m % 60) + " min";
        }
        return (h / 24) + " d " + (h % 24) + " h";
    }

    /** {@code 2026-12-07 09:00} in the zone, for tables. */
    public static String at(Instant t, String zone) {
        return SHORT.format(t.atZone(ZoneId.of(zone)));
    }

    /** Seconds as {@code 3 min 20 s} / {@code 45 s}. */
    public static String seconds(long s) {
        return s < 60 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }

    /** The text beside a verdict's colour, so colour is never the only signal. */
    public static String symbol(String verdict) {
        return switch (verdict.toLowerCase(Locale.ROOT)) {
            case "ready", "allow", "succeeded", "open" -> "✓";
            case "waiting", "running", "closed" -> "…";
            case "frozen" -> "❄";
            case "unknown" -> "?";
            default -> "✗";
        };
    }

    public static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
