package io.tidegate.policy;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A deployment window: when applies may run, in the window's own IANA timezone. Open when some
 * {@link Slot} contains the local moment and no {@link ClosedDates} entry covers its local date.
 * Evaluation lives in {@link Windows}.
 */
public record Window(
        String name,
        ZoneId zone,
        List<Slot> open,
        List<ClosedDates> closed,
        Optional<WindowOverride> override,
        boolean enforce) {
    /** An enforced window. */
    public Window(String name, ZoneId zone, List<Slot> open, List<ClosedDates> closed,
            Optional<WindowOverride> override) {
        this(name, zone, open, closed, override, true);
    }

    public Window {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(zone, "zone == null");
        open = List.copyOf(Objects.requireNonNull(open, "open == null"));
        closed = List.copyOf(Objects.requireNonNull(closed, "closed == null"));
        Objects.requireNonNull(override, "override == null");
    }

    /**
     * Opening hours on some weekdays, half-open: {@code 09:00-17:00} ends before 17:00. When
     * {@code to} is not after {@code from} the slot runs past midnight and belongs to the day it
     * starts on: a Friday {@code 22:00-02:00} slot covers Saturday 01:00; {@code 00:00-24:00}
     * (24:00 is read as midnight) is the whole day.
     */
    public record Slot(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
        public Slot {
            days = Set.copyOf(Objects.requireNonNull(days, "days == null"));
            Objects.requireNonNull(from, "from == null");
            Objects.requireNonNull(to, "to == null");
        }

        public boolean crossesMidnight() {
            return !to.isAfter(from);
        }

        public boolean contains(LocalDateTime local) {
            LocalTime t = local.toLocalTime();
            boolean startsToday = days.contains(local.getDayOfWeek()) && !t.isBefore(from);
            if (!crossesMidnight()) {
                return startsToday && t.isBefore(to);
            }
            boolean startedYesterday = days.contains(local.getDayOfWeek().minus(1))
                    && t.isBefore(to);
            return startsToday || startedYesterday;
        }
    }

    /**
     * Who may lift the window with an override, for how long, and what it lifts: the window
     * always; with {@code lifts: [window, promotion]} also the environment's promotion rule.
     */
    public record WindowOverride(Set<String> by, Duration expires, Set<String> lifts) {
        public static final String WINDOW = "window";
        public static final String PROMOTION = "promotion";

        public WindowOverride {
            by = OrderedSets.copyOf(by, "by");
            Objects.requireNonNull(expires, "expires == null");
            lifts = OrderedSets.copyOf(lifts, "lifts");
        }

        public WindowOverride(Set<String> by, Duration expires) {
            this(by, expires, Set.of(WINDOW));
        }

        public boolean liftsPromotion() {
            return lifts.contains(PROMOTION);
        }
    }
}
