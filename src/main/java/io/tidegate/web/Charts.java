package io.tidegate.web;

import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Geometry of the pages' inline SVG charts, so templates only place numbers. Every chart has a
 * 1000-wide viewBox; heights are given per chart.
 */
public final class Charts {
    private Charts() {}

    /** {@code count} of {@code max} as a height in {@code px} (0 when max is 0). */
    public static int height(int count, int max, int px) {
        return max <= 0 ? 0 : (int) Math.round((double) count * px / max);
    }

    /** The x of slot {@code i} of {@code n} on the 0..1000 axis. */
    public static int x(int i, int n) {
        return (int) Math.round(i * 1000.0 / n);
    }

    /** The width of one of {@code n} slots, less a gap. */
    public static int width(int n) {
        return Math.max(1, (int) Math.floor(1000.0 / n) - 2);
    }

    /**
     * The success-rate line over the days: {@code x,y} points, y from {@code top} (100 %) to
     * {@code top + px} (0 %); days without a known outcome are skipped.
     */
    public static String ratePoints(List<DeploymentsPage.Day> days, int top, int px) {
        StringJoiner out = new StringJoiner(" ");
        int n = days.size();
        for (int i = 0; i < n; i++) {
            Optional<Integer> rate = days.get(i).successRatePercent();
            if (rate.isPresent()) {
                int x = x(i, n) + width(n) / 2;
                int y = top + px - (int) Math.round(rate.get() * px / 100.0);
                out.add(x + "," + y);
            }
        }
        return out.toString();
    }
}
