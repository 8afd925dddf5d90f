package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@link Windows#nextChange}: the next instant a window opens, closes, freezes or thaws. */
class WindowsNextChangeTest {
    private static final Set<DayOfWeek> MON_THU = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);

    private static Window productionHours() {
        return new Window("production-hours", ZoneId.of("Asia/Seoul"),
                List.of(new Window.Slot(MON_THU, LocalTime.of(9, 0), LocalTime.of(17, 0))),
                List.of(new ClosedDates.EveryYear(MonthDay.of(12, 24), MonthDay.of(12, 26),
                                "Christmas"),
                        new ClosedDates.Monthly(-1, DayOfWeek.FRIDAY, "Maintenance day")),
                Optional.empty());
    }

    private static Window newYorkMornings() {
        return new Window("ny", ZoneId.of("America/New_York"),
                List.of(new Window.Slot(Set.of(DayOfWeek.values()), LocalTime.of(1, 30),
                        LocalTime.of(9, 0))),
                List.of(), Optional.empty());
    }

    private static Instant at(String iso) {
        return OffsetDateTime.parse(iso).toInstant();
    }

    @Test
    void closedOnSundayNightChangesWhenTheWindowOpensMondayAtNineLocal() {
        assertThat(Windows.nextChange(productionHours(), at("2026-11-22T21:00:00+09:00")))
                .contains(at("2026-11-23T09:00:00+09:00"));
    }

    @Test
    void openChangesWhenTheSlotEndsNotAtTheNextOpening() {
        assertThat(Windows.nextChange(productionHours(), at("2026-11-23T10:00:00+09:00")))
                .contains(at("2026-11-23T17:00:00+09:00"));
    }

    @Test
    void theLastFridayFreezeStartsAtLocalMidnightAndEndsTheNextMidnight() {
        // Thursday 2026-11-26 17:00 closes; Friday 11-27 is the month's last Friday
        Window w = productionHours();
        Instant closed = at("2026-11-26T18:00:00+09:00");
        Instant freeze = at("2026-11-27T00:00:00+09:00");
        assertThat(Windows.nextChange(w, closed)).contains(freeze);
        assertThat(Windows.nextChange(w, freeze)).contains(at("2026-11-28T00:00:00+09:00"));
    }

    @Test
    void aYearlyFreezeOnOpenDaysStartsAndEndsAtMidnight() {
        // Wednesday 2026-12-23 10:00 open; Thursday 12-24 is Christmas
        Window w = productionHours();
        assertThat(Windows.nextChange(w, at("2026-12-23T10:00:00+09:00")))
                .contains(at("2026-12-23T17:00:00+09:00"));
        assertThat(Windows.nextChange(w, at("2026-12-23T18:00:00+09:00")))
                .contains(at("2026-12-24T00:00:00+09:00"));
        // frozen 24..26, then closed from Sunday 27 00:00 until Monday 28 09:00
        assertThat(Windows.nextChange(w, at("2026-12-24T10:00:00+09:00")))
                .contains(at("2026-12-27T00:00:00+09:00"));
    }

    @Test
    void aChangeInsideTheSkippedHourOfSpringForwardHappensAtTheOffsetChange() {
        // 2027-03-14 02:00 EST becomes 03:00 EDT: 01:30 opens, nothing at 02:xx
        Window w = newYorkMornings();
        assertThat(Windows.nextChange(w, at("2027-03-14T01:00:00-05:00")))
                .contains(at("2027-03-14T01:30:00-05:00"));
        assertThat(Windows.nextChange(w, at("2027-03-14T01:45:00-05:00")))
                .contains(at("2027-03-14T09:00:00-04:00"));
    }

    @Test
    void fallBackFollowsLocalTimeThroughTheRepeatedHour() {
        // 2026-11-01 02:00 EDT becomes 01:00 EST: local 01:00..02:00 happens twice
        Window w = newYorkMornings();
        assertThat(Windows.nextChange(w, at("2026-11-01T00:30:00-04:00")))
                .contains(at("2026-11-01T01:30:00-04:00"));
        // back to 01:00 local, before the 01:30 opening: closed again for half an hour
        assertThat(Windows.nextChange(w, at("2026-11-01T01:40:00-04:00")))
                .contains(at("2026-11-01T01:00:00-05:00"));
        assertThat(Windows.nextChange(w, at("2026-11-01T01:10:00-05:00")))
                .contains(at("2026-11-01T01:30:00-05:00"));
        assertThat(Windows.nextChange(w, at("2026-11-01T01:40:00-05:00")))
                .contains(at("2026-11-01T09:00:00-05:00"));
    }

    @Test
    void aWindowThatNeverChangesHasNoNextChange() {
        Window always = new Window("always-open", ZoneId.of("UTC"),
                List.of(new Window.Slot(Set.of(DayOfWeek.values()), LocalTime.MIDNIGHT,
                        LocalTime.MIDNIGHT)), List.of(), Optional.empty());
        assertThat(Windows.nextChange(always, at("2026-11-23T10:00:00Z"))).isEmpty();
    }
}
