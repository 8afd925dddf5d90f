package io.tidegate.policy;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the short durations operators write: {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d}. */
public final class Durations {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})(ms|s|m|h|d)");

    private Durations() {}

    public static Optional<Duration> parse(String text) {
        Matcher m = SHORT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Optional.of(Duration.ofMillis(n));
            case "s":
                return Optional.of(Duration.ofSeconds(n));
            case "m":
                return Optional.of(Duration.ofMinutes(n));
            case "h":
                return Optional.of(Duration.ofHours(n));
            default:
                return Optional.of(Duration.ofDays(n));
        }
    }

    /** The short form back: {@code 2h}, {@code 30m}, {@code 1h30m}, {@code 1d}. */
    public static String format(Duration d) {
        if (d.toMillis() % 1000 != 0) {
            return d.toMillis() + "ms";
        }
        long s = d.getSeconds();
        StringBuilder out = new StringBuilder();
        long[] sizes = {86400, 3600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i]) {
                out.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return out.length() == 0 ? "0s" : out.toString();
    }
}
