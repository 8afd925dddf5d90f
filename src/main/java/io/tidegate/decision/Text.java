package io.tidegate.decision;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** How reasons spell money, lists and counts. */
final class Text {
    private Text() {}

    /** {@code $1,830.00}; negative amounts as {@code -$12.00}. */
    static String usd(BigDecimal amount) {
        DecimalFormat f = new DecimalFormat("#,##0.00",
                DecimalFormatSymbols.getInstance(Locale.ROOT));
        String s = f.format(amount.abs().setScale(2, RoundingMode.HALF_UP));
        return (amount.signum() < 0 ? "-$" : "$") + s;
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
