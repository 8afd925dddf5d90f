package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

class WindowsTest {
    private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    private static final Set<DayOfWeek> MON_THU = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
    private static final Set<DayOfWeek> MON_FRI = Set.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY,
            DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY);

    private static Window productionHours() {
        return new Window("production-hours", SEOUL,
                List.of(new Window.Slot(MON_THU, LocalTime.of(9, 0), LocalTime.of(17, 0))),
                List.of(new ClosedDates.EveryYear(MonthDay.of(12, 24), MonthDay.of(12, 26),
                                "Christmas"),
                        new ClosedDates.EveryYear(MonthDay.of(12, 31), MonthDay.of(1, 2),
                                "New Year"),
                        new ClosedDates.Monthly(-1, DayOfWeek.FRIDAY, "Maintenance day")),
                Optional.empty());
    }

    private static Window usHours() {
        return new Window("us-hours", NEW_YORK,
                List.of(new Window.Slot(MON_FRI, LocalTime.of(9, 0), LocalTime.of(17, 0))),
                List.of(), Optional.empty());
    }

    private static Instant at(String iso) {
        return java.time.OffsetDateTime.parse(iso).toInstant();
    }

    @Test
    void slotIsHalfOpenSoSixteenFiftyNineIsOpenAndSeventeenIsClosed() {
        assertThat(Windows.state(productionHours(), at("2026-11-23T16:59:00+09:00")).status())
                .isEqualTo(Windows.Status.OPEN);
        assertThat(Windows.state(productionHours(), at("2026-11-23T17:00:00+09:00")).status())
                .isEqualTo(Windows.Status.CLOSED);
        assertThat(Windows.state(productionHours(), at("2026-11-23T09:00:00+09:00")).status())
                .isEqualTo(Windows.Status.OPEN);
    }

    @Test
    void weekdayIsTakenInTheWindowsZoneNotUtc() {
        // Monday 08:00 KST is Sunday 23:00 UTC: a UTC weekday would say Sunday.
        assertThat(Windows.state(productionHours(), at("2026-11-22T23:30:00Z")).status())
                .isEqualTo(Windows.Status.CLOSED);
        assertThat(Windows.state(productionHours(), at("2026-11-23T00:30:00Z")).status())
                .isEqualTo(Windows.Status.OPEN);
    }

    @Test
    void closedDateIsAFreezeWithItsReasonEvenOutsideOpenSlots() {
        Windows.State s = Windows.state(productionHours(), at("2026-12-26T10:00:00+09:00"));
        assertThat(s.status()).isEqualTo(Windows.Status.FROZEN);
        assertThat(s.freeze().map(ClosedDates::reason)).contains("Christmas");
    }

    @Test
    void everyYearRangeCrossesTheYearEnd() {
        ClosedDates c = new ClosedDates.EveryYear(MonthDay.of(12, 31), MonthDay.of(1, 2), "NY");
        assertThat(c.covers(java.time.LocalDate.of(2026, 12, 30))).isFalse();
        assertThat(c.covers(java.time.LocalDate.of(2026, 12, 31))).isTrue();
        assertThat(c.covers(java.time.LocalDate.of(2027, 1, 1))).isTrue();
        assertThat(c.covers(java.time.LocalDate.of(2027, 1, 2))).isTrue();
        assertThat(c.covers(java.time.LocalDate.of(2027, 1, 3))).isFalse();
    }

    @Test
    void lastFridayOfAFiveFridayMonthIsTheFifth() {
        ClosedDates last = new ClosedDates.Monthly(-1, DayOfWeek.FRIDAY, "m");
        assertThat(last.covers(java.time.LocalDate.of(2026, 10, 30))).isTrue();
        assertThat(last.covers(java.time.LocalDate.of(2026, 10, 23))).isFalse();
        assertThat(last.covers(java.time.LocalDate.of(2026, 11, 27))).isTrue();
    }

    @Test
    void nthWeekdayOfTheMonth() {
        ClosedDates second = new ClosedDates.Monthly(2, DayOfWeek.TUESDAY, "m");
        assertThat(second.covers(java.time.LocalDate.of(2026, 11, 10))).isTrue();
        assertThat(second.covers(java.time.LocalDate.of(2026, 11, 3))).isFalse();
        assertThat(second.written()).isEqualTo("2nd-tuesday");
    }

    @Test
    void nextOpeningSkipsTheWeekendAndTheLastFridayFreeze() {
        Optional<Instant> next = Windows.nextOpening(productionHours(),
                at("2026-11-26T17:00:00+09:00"));
        assertThat(next).contains(at("2026-11-30T09:00:00+09:00"));
        assertThat(Windows.format(next.get(), SEOUL)).isEqualTo("Mon 2026-11-30 09:00 KST");
    }

    @Test
    void nextOpeningSkipsTheNewYearFreezeAcrossTheYearEnd() {
        assertThat(Windows.nextOpening(productionHours(), at("2026-12-30T17:00:00+09:00")))
                .contains(at("2027-01-04T09:00:00+09:00"));
    }

    @Test
    void nextOpeningIsNowWhenOpen() {
        Instant now = at("2026-11-23T10:00:00+09:00");
        assertThat(Windows.nextOpening(productionHours(), now)).contains(now);
    }

    @Test
    void nextOpeningIsEmptyForAWindowThatNeverOpens() {
        Window never = new Window("never", SEOUL, List.of(), List.of(), Optional.empty());
        assertThat(Windows.nextOpening(never, at("2026-11-23T10:00:00+09:00"))).isEmpty();
    }

    @Test
    void usWindowKeepsNineLocalAcrossSpringForward() {
        // 2026-03-08 02:00 EST -> 03:00 EDT. 09:00 local is 14:00 UTC before, 13:00 UTC after.
        assertThat(Windows.state(usHours(), at("2026-03-06T13:30:00Z")).isOpen()).isFalse();
        assertThat(Windows.state(usHours(), at("2026-03-06T14:30:00Z")).isOpen()).isTrue();
        assertThat(Windows.state(usHours(), at("2026-03-09T13:30:00Z")).isOpen()).isTrue();
        assertThat(Windows.state(usHours(), at("2026-03-09T12:30:00Z")).isOpen()).isFalse();
        assertThat(Windows.nextOpening(usHours(), at("2026-03-06T22:00:00Z")))
                .contains(at("2026-03-09T13:00:00Z"));
    }

    @Test
    void usWindowKeepsNineLocalAcrossFallBack() {
        // 2026-11-01 02:00 EDT -> 01:00 EST. Friday opens 13:00 UTC, Monday 14:00 UTC.
        assertThat(Windows.nextOpening(usHours(), at("2026-10-30T22:00:00Z")))
                .contains(at("2026-11-02T14:00:00Z"));
        assertThat(Windows.openPeriods(usHours(), at("2026-11-02T00:00:00Z"),
                at("2026-11-03T00:00:00Z")))
                .containsExactly(new Windows.Period(at("2026-11-02T14:00:00Z"),
                        at("2026-11-02T22:00:00Z")));
    }

    @Test
    void slotThatStartsInTheSpringGapOpensAtTheFirstValidInstant() {
        Window w = new Window("night", NEW_YORK, List.of(new Window.Slot(
                Set.of(DayOfWeek.SUNDAY), LocalTime.of(2, 30), LocalTime.of(4, 0))),
                List.of(), Optional.empty());
        // 02:30 does not exist on 2026-03-08; 03:30 EDT (07:30 UTC) is the first valid instant.
        assertThat(Windows.nextOpening(w, at("2026-03-08T00:00:00Z")))
                .contains(at("2026-03-08T07:30:00Z"));
    }

    @Test
    void slotPastMidnightBelongsToTheDayItStartsOn() {
        Window w = new Window("friday-night", NEW_YORK, List.of(new Window.Slot(
                Set.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(2, 0))),
                List.of(), Optional.empty());
        assertThat(Windows.state(w, at("2026-03-07T01:00:00-05:00")).isOpen()).isTrue();
        assertThat(Windows.state(w, at("2026-03-07T02:00:00-05:00")).isOpen()).isFalse();
        assertThat(Windows.state(w, at("2026-03-06T01:00:00-05:00")).isOpen()).isFalse();
        assertThat(Windows.openPeriods(w, at("2026-03-06T12:00:00-05:00"),
                at("2026-03-07T12:00:00-05:00")))
                .containsExactly(new Windows.Period(at("2026-03-06T22:00:00-05:00"),
                        at("2026-03-07T02:00:00-05:00")));
    }

    @Test
    void calendarExplainsEachGap() {
        List<Windows.Stretch> cal = Windows.calendar(productionHours(),
                at("2026-11-26T12:00:00+09:00"), at("2026-11-30T12:00:00+09:00"));
        assertThat(cal).containsExactly(
                new Windows.Stretch(new Windows.Period(at("2026-11-26T12:00:00+09:00"),
                        at("2026-11-26T17:00:00+09:00")), true, List.of()),
                new Windows.Stretch(new Windows.Period(at("2026-11-26T17:00:00+09:00"),
                        at("2026-11-30T09:00:00+09:00")), false,
                        List.of("freeze Fri 2026-11-27: Maintenance day")),
                new Windows.Stretch(new Windows.Period(at("2026-11-30T09:00:00+09:00"),
                        at("2026-11-30T12:00:00+09:00")), true, List.of()));
    }

    @Test
    void stateAndOpenPeriodsAgreeEveryQuarterHourOverAYear() {
        Window w = productionHours();
        Instant from = at("2026-01-01T00:00:00+09:00");
        Instant until = from.plus(Duration.ofDays(366));
        List<Windows.Period> open = Windows.openPeriods(w, from, until);
        for (Instant t = from; t.isBefore(until); t = t.plus(Duration.ofMinutes(15))) {
            Instant moment = t;
            boolean inPeriod = open.stream().anyMatch(
                    p -> !moment.isBefore(p.start()) && moment.isBefore(p.end()));
            assertThat(Windows.state(w, t).isOpen()).as("at %s", t).isEqualTo(inPeriod);
        }
    }
}
