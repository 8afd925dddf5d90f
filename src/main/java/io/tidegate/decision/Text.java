package io.tidegate.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** How reasons spell money, lists and counts. */
final class Text {
    private Text() {}

    /** {@code $1,830.00}; negative amounts as {@code -$12.00}. */
    static String usd(BigDecimal amount) {
        return (amount.signum() < 0 ? "-$" : "$")
                + grouped(amount.abs().setScale(2, RoundingMode.HALF_UP));
    }

    /**
     * {@code 1830.00} as {@code 1,830.00}. By hand, not {@code DecimalFormat}: a gate decision
     * spells several amounts, and building a {@code DecimalFormat} with its symbols each time was
     * a twentieth of the gate's CPU (JFR, issue 19).
     */
    private static String grouped(BigDecimal twoPlaces) {
        String plain = twoPlaces.toPlainString();
        int dot = plain.indexOf('.');
        StringBuilder out = new StringBuilder(plain.length() + dot / 3);
        for (int i = 0; i < dot; i++) {
            if (i > 0 && (dot - i) % 3 == 0) {
                out.append(',');
            }
            out.append(plain.charAt(i));
        }
        return out.append(plain, dot, plain.length()).toString();
    }

    /** {@code +$120.50} for an increase, {@code -$12.00} for a decrease. */
    static String signedUsd(BigDecimal amount) {
        return (amount.signum() >= 0 ? "+" : "") + usd(amount);
    }

    /** {@code a}, {@code a or b}, {@code a, b or c}. */
    static String or(Collection<String> items) {
        return join(items, " or ");
    }

    /** {@code a}, {@code a and b}, {@code a, b and c}. */
    static String and(Collection<String> items) {
        return join(items, " and ");
    }

    static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String join(Collection<String> items, String last) {
        List<String> l = new ArrayList<>(items);
        if (l.size() <= 1) {
            return String.join("", l);
        }
        return String.join(", ", l.subList(0, l.size() - 1)) + last + l.get(l.size() - 1);
    }
}
