package io.tidegate.policy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure evaluation of {@link Window}s: the state at an instant, the next opening, the open
 * periods ahead. Everything is computed on local dates and times in the window's zone, then
 * turned into instants by {@link java.time.ZonedDateTime}, so DST changes shift nothing: a
 * 09:00 opening is 09:00 local on both sides of a change. A local time that does not exist
 * (spring forward) starts at the first valid instant after it.
 */
public final class Windows {
    /** How far ahead {@link #nextOpening} looks: every yearly rule repeats within it. */
    static final Duration HORIZON = Duration.ofDays(400);
    private static final Duration WEEK = Duration.ofDays(7);
    private static final DateTimeFormatter LOCAL =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm zzz", Locale.ENGLISH);
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("EEE yyyy-MM-dd", Locale.ENGLISH);

    private Windows() {}

    /** Open, closed (outside every slot) or frozen (on a {@code closed} date) at one instant. */
    public record State(Status status, Optional<ClosedDates> freeze) {
        public State {
            Objects.requireNonNull(status, "status == null");
            Objects.requireNonNull(freeze, "freeze == null");
        }

        public boolean isOpen() {
            return status == Status.OPEN;
        }
    }

    public enum Status { OPEN, CLOSED, FROZEN }

    /** A half-open span of time {@code [start, end)}. */
    public record Period(Instant start, Instant end) {
        public Period {
            Objects.requireNonNull(start, "start == null");
            Objects.requireNonNull(end, "end == null");
        }
    }

    /** A stretch of the calendar: open, or closed with the reasons why. */
    public record Stretch(Period period, boolean open, List<String> why) {
        public Stretch {
            Objects.requireNonNull(period, "period == null");
            why = List.copyOf(Objects.requireNonNull(why, "why == null"));
        }
    }

    /** The window's state at this instant. A closed date wins over an open slot. */
    public static State state(Window window, Instant at) {
        LocalDateTime local = LocalDateTime.ofInstant(at, window.zone());
        Optional<ClosedDates> freeze = freezeOn(window, local.toLocalDate());
        if (freeze.isPresent()) {
            return new State(Status.FROZEN, freeze);
        }
        boolean open = window.open().stream().anyMatch(s -> s.contains(local));
        return new State(open ? Status.OPEN : Status.CLOSED, Optional.empty());
    }

    /** The first closed entry covering this local date, in policy order. */
    public static Optional<ClosedDates> freezeOn(Window window, LocalDate date) {
        return window.closed().stream().filter(c -> c.covers(date)).findFirst();
    }

    /**
     * The earliest instant at or after {@code from} at which the window is open ({@code from}
     * itself when open now); empty when it never opens within 400 days.
     */
    public static Optional<Instant> nextOpening(Window window, Instant from) {
        // Week by week: the answer is usually within days, and a year of slots is costly.
        Instant horizon = from.plus(HORIZON);
        for (Instant start = from; start.isBefore(horizon); start = start.plus(WEEK)) {
            for (Period p : openPeriods(window, start, start.plus(WEEK))) {
                if (p.end().isAfter(from)) {
                    return Optional.of(p.start().isBefore(from) ? from : p.start());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The first instant after {@code from} at which the window's {@link State} differs from its
     * state at {@code from}: it opens, closes, or a freeze starts or ends (the symmetric of
     * {@link #nextOpening}, for re-deciding when time alone changes a verdict). Empty when the
     * state stays the same for 400 days. DST-safe: the candidates are the local slot bounds and
     * midnights with both offsets of an overlap, plus the zone's offset changes themselves (a
     * slot bound inside a skipped hour takes effect at the change).
     */
    public static Optional<Instant> nextChange(Window window, Instant from) {
        State before = state(window, from);
        Instant horizon = from.plus(HORIZON);
        for (Instant start = from; start.isBefore(horizon); start = start.plus(WEEK)) {
            for (Instant t : boundaries(window, start, start.plus(WEEK))) {
                if (t.isAfter(from) && !state(window, t).equals(before)) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    /** Every instant in {@code [from, until)} at which the state may change, in order. */
    private static java.util.NavigableSet<Instant> boundaries(Window window, Instant from,
            Instant until) {
        ZoneId zone = window.zone();
        java.util.TreeSet<Instant> out = new java.util.TreeSet<>();
        LocalDate last = LocalDate.ofInstant(until, zone).plusDays(1);
        for (LocalDate d = LocalDate.ofInstant(from, zone).minusDays(1); !d.isAfter(last);
                d = d.plusDays(1)) {
            addLocal(out, d.atStartOfDay(), zone);
            for (Window.Slot slot : window.open()) {
                addLocal(out, d.atTime(slot.from()), zone);
                addLocal(out, d.atTime(slot.to()), zone);
            }
        }
        java.time.zone.ZoneOffsetTransition t = zone.getRules().nextTransition(from.minusNanos(1));
        while (t != null && t.getInstant().isBefore(until)) {
            out.add(t.getInstant());
            t = zone.getRules().nextTransition(t.getInstant());
        }
        return out.subSet(from, true, until, false);
    }

    private static void addLocal(java.util.Set<Instant> out, LocalDateTime local, ZoneId zone) {
        ZonedDateTime z = local.atZone(zone);
        out.add(z.withEarlierOffsetAtOverlap().toInstant());
        out.add(z.withLaterOffsetAtOverlap().toInstant());
    }

    /** The open periods overlapping {@code [from, until)}, merged, in order, not clipped. */
    public static List<Period> openPeriods(Window window, Instant from, Instant until) {
        ZoneId zone = window.zone();
        LocalDate first = LocalDate.ofInstant(from, zone).minusDays(1);
        LocalDate last = LocalDate.ofInstant(until, zone);
        List<Period> pieces = new ArrayList<>();
        for (LocalDate d = first; !d.isAfter(last); d = d.plusDays(1)) {
            for (Window.Slot slot : window.open()) {
                if (slot.days().contains(d.getDayOfWeek())) {
                    addPieces(window, slot, d, pieces);
                }
            }
        }
        pieces.sort(Comparator.comparing(Period::start));
        List<Period> merged = merge(pieces);
        merged.removeIf(p -> !p.end().isAfter(from) || !p.start().isBefore(until));
        return merged;
    }

    /**
     * The calendar over {@code [from, until)}: open stretches and the closed gaps between them,
     * each gap with why it is closed (the freezes on its dates, or "outside open hours").
     */
    public static List<Stretch> calendar(Window window, Instant from, Instant until) {
        List<Stretch> out = new ArrayList<>();
        Instant cursor = from;
        for (Period p : openPeriods(window, from, until)) {
            Instant start = p.start().isBefore(from) ? from : p.start();
            Instant end = p.end().isAfter(until) ? until : p.end();
            if (start.isAfter(cursor)) {
                out.add(gap(window, cursor, start));
            }
            out.add(new Stretch(new Period(start, end), true, List.of()));
            cursor = end;
        }
        if (cursor.isBefore(until)) {
            out.add(gap(window, cursor, until));
        }
        return out;
    }

    /** {@code Mon 2026-11-30 09:00 KST}: how messages show an instant in a window's zone. */
    public static String format(Instant at, ZoneId zone) {
        return LOCAL.format(ZonedDateTime.ofInstant(at, zone));
    }

    /** {@code Fri 2026-11-27}: the local date of an instant in a window's zone. */
    public static String formatDate(Instant at, ZoneId zone) {
        return DATE.format(ZonedDateTime.ofInstant(at, zone));
    }

    /** A closed gap, with its freezes grouped by runs of dates ("freeze Thu ..Sat: Christmas"). */
    private static Stretch gap(Window window, Instant start, Instant end) {
        List<String> why = new ArrayList<>();
        LocalDate last = LocalDate.ofInstant(end.minusNanos(1), window.zone());
        LocalDate runStart = null;
        String runReason = null;
        for (LocalDate d = LocalDate.ofInstant(start, window.zone()); !d.isAfter(last.plusDays(1));
                d = d.plusDays(1)) {
            String reason = d.isAfter(last) ? null
                    : freezeOn(window, d).map(ClosedDates::reason).orElse(null);
            if (Objects.equals(reason, runReason)) {
                continue;
            }
            if (runReason != null) {
                why.add(freezeRun(runStart, d.minusDays(1), runReason));
            }
            runStart = d;
            runReason = reason;
        }
        if (why.isEmpty()) {
            why.add("outside open hours");
        }
        return new Stretch(new Period(start, end), false, why);
    }

    private static String freezeRun(LocalDate first, LocalDate last, String reason) {
        return "freeze " + DATE.format(first) + (first.equals(last) ? "" : ".." + DATE.format(last))
                + ": " + reason;
    }

    /** One slot occurrence starting on {@code day}, split at midnight, frozen dates left out. */
    private static void addPieces(Window window, Window.Slot slot, LocalDate day,
            List<Period> pieces) {
        if (!slot.crossesMidnight()) {
            addPiece(window, day, slot.from(), day, slot.to(), pieces);
            return;
        }
        LocalDate next = day.plusDays(1);
        addPiece(window, day, slot.from(), next, LocalTime.MIDNIGHT, pieces);
        addPiece(window, next, LocalTime.MIDNIGHT, next, slot.to(), pieces);
    }

    private static void addPiece(Window window, LocalDate startDay, LocalTime startTime,
            LocalDate endDay, LocalTime endTime, List<Period> pieces) {
        // A closed entry covers whole local dates: the piece's date is its start date.
        if (freezeOn(window, startDay).isPresent()) {
            return;
        }
        Instant start = startDay.atTime(startTime).atZone(window.zone()).toInstant();
        Instant end = endDay.atTime(endTime).atZone(window.zone())
                .withLaterOffsetAtOverlap().toInstant();
        if (end.isAfter(start)) {
            pieces.add(new Period(start, end));
        }
    }

    private static List<Period> merge(List<Period> sorted) {
        List<Period> out = new ArrayList<>();
        for (Period p : sorted) {
            Period last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && !p.start().isAfter(last.end())) {
                Instant end = p.end().isAfter(last.end()) ? p.end() : last.end();
                out.set(out.size() - 1, new Period(last.start(), end));
            } else {
                out.add(p);
            }
        }
        return out;
    }
}
