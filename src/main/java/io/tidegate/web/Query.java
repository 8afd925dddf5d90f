package io.tidegate.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * The dashboard's query parameters, read through a lookup so this stays free of the HTTP
 * library. Every bad value is a {@link BadParameterException} naming the parameter and quoting
 * (a bounded part of) the value.
 */
final class Query {
    private static final int MAX_VALUE = 200;
    private final Function<String, String> lookup;

    Query(Function<String, String> lookup) {
        this.lookup = lookup;
    }

    /** The parameter, trimmed; empty when absent or blank. Over 200 characters is bad. */
    Optional<String> text(String name) {
        String v = lookup.apply(name);
        if (v == null || v.isBlank()) {
            return Optional.empty();
        }
        if (v.length() > MAX_VALUE) {
            throw new BadParameterException(name + ": longer than " + MAX_VALUE + " characters");
        }
        return Optional.of(v.trim());
    }

    Optional<Integer> integer(String name, int min, int max) {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(v.get());
            if (n >= min && n <= max) {
                return Optional.of(n);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadParameterException(name + ": expected a whole number from " + min + " to "
                + max + ", got '" + v.get() + "'");
    }

    Optional<String> oneOf(String name, java.util.Collection<String> allowed) {
        Optional<String> v = text(name);
        if (v.isPresent() && !allowed.contains(v.get())) {
            throw new BadParameterException(name + ": expected one of " + String.join(", ",
                    allowed) + ", got '" + v.get() + "'");
        }
        return v;
    }

    /** {@code owner/name}, as GitHub spells a repository. */
    Optional<String> repo(String name) {
        Optional<String> v = text(name);
        if (v.isPresent() && !v.get().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
            throw new BadParameterException(name + ": expected owner/name, got '" + v.get()
                    + "'");
        }
        return v;
    }

    Optional<ZoneId> zone(String name) {
        Optional<String> v = text(name);
        try {
            return v.map(ZoneId::of);
        } catch (DateTimeException e) {
            throw new BadParameterException(name + ": not a time zone (e.g. Europe/Berlin): '"
                    + v.get() + "'");
        }
    }

    /**
     * A date ({@code 2026-12-01}, the start of that day in {@code zone}; with {@code endOfDay}
     * the start of the next) or an instant ({@code 2026-12-01T09:00:00Z}).
     */
    Optional<Instant> instant(String name, ZoneId zone, boolean endOfDay) {
        Optional<String> v = text(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        try {
            if (v.get().length() == 10) {
                LocalDate d = LocalDate.parse(v.get());
                return Optional.of((endOfDay ? d.plusDays(1) : d).atStartOfDay(zone)
                        .toInstant());
            }
            return Optional.of(Instant.parse(v.get()));
        } catch (DateTimeParseException e) {
            throw new BadParameterException(name + ": expected a date (2026-12-01) or an "
                    + "instant (2026-12-01T09:00:00Z), got '" + v.get() + "'");
        }
    }
}
