package io.tidegate.policy;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@code closed} entry of a window: whole local dates on which the window is frozen, with the
 * reason shown to developers. Three forms: a month-day range repeated every year (may cross the
 * year end), a range of full dates, and a monthly weekday ({@code last-friday},
 * {@code 2nd-tuesday}).
 */
public sealed interface ClosedDates {
    /** Whether the local date is frozen by this entry. */
    boolean covers(LocalDate date);

    /** Why, as the policy says it ("Christmas"). */
    String reason();

    /** The entry as written ("12-24..12-26", "last-friday"). */
    String written();

    /** {@code MM-DD..MM-DD} every year, inclusive; crosses the year end when start > end. */
    record EveryYear(MonthDay start, MonthDay end, String reason) implements ClosedDates {
        public EveryYear {
            Objects.requireNonNull(start, "start == null");
            Objects.requireNonNull(end, "end == null");
            Objects.requireNonNull(reason, "reason == null");
        }

        @Override
        public boolean covers(LocalDate date) {
            MonthDay md = MonthDay.from(date);
            if (!start.isAfter(end)) {
                return !md.isBefore(start) && !md.isAfter(end);
            }
            return !md.isBefore(start) || !md.isAfter(end);
        }

        @Override
        public String written() {
            return String.format(Locale.ROOT, "%02d-%02d..%02d-%02d", start.getMonthValue(),
                    start.getDayOfMonth(), end.getMonthValue(), end.getDayOfMonth());
        }
    }

    /** {@code YYYY-MM-DD..YYYY-MM-DD}, inclusive, that year only. */
    record Between(LocalDate start, LocalDate end, String reason) implements ClosedDates {
        public Between {
            Objects.requireNonNull(start, "start == null");
            Objects.requireNonNull(end, "end == null");
            Objects.requireNonNull(reason, "reason == null");
        }

        @Override
        public boolean covers(LocalDate date) {
            return !date.isBefore(start) && !date.isAfter(end);
        }

        @Override
        public String written() {
            return start + ".." + end;
        }
    }

    /**
     * The n-th (1..5) or last ({@code ordinal == -1}) given weekday of every month. A fifth
     * Friday exists only in some months; the last Friday exists in all.
     */
    record Monthly(int ordinal, DayOfWeek day, String reason) implements ClosedDates {
        public Monthly {
            Objects.requireNonNull(day, "day == null");
            Objects.requireNonNull(reason, "reason == null");
            if (ordinal != -1 && (ordinal < 1 || ordinal > 5)) {
                throw new IllegalArgumentException("ordinal must be 1..5 or -1, was " + ordinal);
            }
        }

        @Override
        public boolean covers(LocalDate date) {
            if (date.getDayOfWeek() != day) {
                return false;
            }
            if (ordinal == -1) {
                return date.plusWeeks(1).getMonth() != date.getMonth();
            }
            return (date.getDayOfMonth() - 1) / 7 + 1 == ordinal;
        }

        @Override
        public String written() {
            String which = ordinal == -1 ? "last" : ordinalWord(ordinal);
            return which + "-" + day.name().toLowerCase(Locale.ROOT);
        }

        private static String ordinalWord(int n) {
            switch (n) {
                case 1:
                    return "1st";
                case 2:
                    return "2nd";
                case 3:
                    return "3rd";
                default:
                    return n + "th";
            }
        }
    }
}
