package io.tidegate.policy;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the {@code windows:} section; role names in overrides are handed back for checking. */
final class WindowParser {
    private static final List<String> WINDOW_KEYS =
            List.of("timezone", "open", "closed", "override", "enforce");
    private static final List<String> SLOT_KEYS = List.of("days", "from", "to");
    private static final List<String> CLOSED_KEYS = List.of("dates", "monthly", "reason");
    private static final List<String> OVERRIDE_KEYS = List.of("by", "expires", "lifts");
    private static final List<String> LIFTS = List.of(Window.WindowOverride.WINDOW,
            Window.WindowOverride.PROMOTION);
    private static final Pattern TIME = Pattern.compile("(\\d{2}):(\\d{2})");
    private static final Pattern MONTH_DAY = Pattern.compile("(\\d{2})-(\\d{2})");
    private static final Pattern FULL_DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern MONTHLY = Pattern.compile("([a-z0-9]+)-([a-z]+)");
    private static final Map<String, Integer> ORDINALS = ordinals();
    private static final Map<String, DayOfWeek> DAYS = days();

    private final Nodes nodes;
    private final List<Nodes.Located> roleRefs;

    WindowParser(Nodes nodes, List<Nodes.Located> roleRefs) {
        this.nodes = nodes;
        this.roleRefs = roleRefs;
    }

    Map<String, Window> windows(YamlNode node, Optional<ZoneId> defaultZone) {
        Map<String, Window> out = new LinkedHashMap<>();
        for (YamlNode.Entry e : nodes.namedMapping(node, "windows").map(m -> m.entries().values())
                .orElse(List.of())) {
            if (e.key().equals(Environment.ApplyRule.ALWAYS)) {
                nodes.problem(e.keyLocation(), "window name \"always\" is reserved: it means "
                        + "no window (apply at any time)");
                continue;
            }
            window(e.key(), e.value(), defaultZone).ifPresent(w -> out.put(e.key(), w));
        }
        return out;
    }

    /** Parses a timezone id; reports it when unknown to the IANA database. */
    static Optional<ZoneId> zone(Nodes nodes, YamlNode node, String what) {
        Optional<String> id = nodes.string(node, what);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        try {
            // ZoneId.of also takes fixed offsets ("+09:00"); those have no DST, so they are fine.
            return Optional.of(ZoneId.of(id.get()));
        } catch (DateTimeException e) {
            nodes.problem(node.location(), "unknown timezone \"" + id.get()
                    + "\": expected an IANA zone such as Asia/Seoul or America/New_York");
            return Optional.empty();
        }
    }

    private Optional<Window> window(String name, YamlNode node, Optional<ZoneId> defaultZone) {
        String what = "window \"" + name + "\"";
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, WINDOW_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<ZoneId> zone = nodes.get(m.get(), "timezone")
                .flatMap(z -> zone(nodes, z, "timezone of " + what));
        if (zone.isEmpty() && nodes.get(m.get(), "timezone").isEmpty()) {
            zone = defaultZone;
        }
        List<Window.Slot> open = new ArrayList<>();
        nodes.get(m.get(), "open").ifPresent(o -> nodes.list(o, "open of " + what)
                .forEach(s -> slot(s, what).ifPresent(open::add)));
        List<ClosedDates> closed = new ArrayList<>();
        nodes.get(m.get(), "closed").ifPresent(c -> nodes.list(c, "closed of " + what)
                .forEach(x -> closed(x, what).ifPresent(closed::add)));
        Optional<Window.WindowOverride> override = nodes.get(m.get(), "override")
                .flatMap(o -> override(o, what));
        if (nodes.get(m.get(), "open").isEmpty()) {
            nodes.problem(m.get().location(), what + " has no open slots: it would never open");
        }
        boolean enforce = nodes.get(m.get(), "enforce").flatMap(e -> nodes.bool(e, "enforce"))
                .orElse(true);
        return zone.map(z -> new Window(name, z, open, closed, override, enforce));
    }

    private Optional<Window.Slot> slot(YamlNode node, String window) {
        String what = "open slot of " + window;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, SLOT_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Set<DayOfWeek> days = new LinkedHashSet<>();
        nodes.require(m.get(), "days", what).ifPresent(d -> {
            for (Nodes.Located day : nodes.strings(d, "days")) {
                DayOfWeek dow = DAYS.get(day.value().toLowerCase(java.util.Locale.ROOT));
                if (dow == null) {
                    nodes.problem(day.location(), "unknown day \"" + day.value()
                            + "\": expected mon, tue, wed, thu, fri, sat or sun");
                } else {
                    days.add(dow);
                }
            }
        });
        Optional<LocalTime> from = nodes.require(m.get(), "from", what).flatMap(this::time);
        Optional<LocalTime> to = nodes.require(m.get(), "to", what).flatMap(this::time);
        if (from.isPresent() && to.isPresent() && from.get().equals(to.get())
                && !from.get().equals(LocalTime.MIDNIGHT)) {
            nodes.problem(m.get().location(), "open slot from " + from.get() + " to "
                    + to.get() + " is ambiguous: write 00:00 to 24:00 for a whole day");
            return Optional.empty();
        }
        if (from.isEmpty() || to.isEmpty() || days.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Window.Slot(days, from.get(), to.get()));
    }

    /** {@code HH:MM}, 00:00 to 23:59, and 24:00 meaning the midnight that ends a day. */
    private Optional<LocalTime> time(YamlNode node) {
        Optional<String> s = node instanceof YamlNode.Scalar
                ? Optional.of(((YamlNode.Scalar) node).text().trim()) : Optional.empty();
        Matcher t = TIME.matcher(s.orElse(""));
        if (t.matches()) {
            int h = Integer.parseInt(t.group(1));
            int min = Integer.parseInt(t.group(2));
            if (h == 24 && min == 0) {
                return Optional.of(LocalTime.MIDNIGHT);
            }
            if (h < 24 && min < 60) {
                return Optional.of(LocalTime.of(h, min));
            }
        }
        nodes.problem(node.location(), "bad time " + YamlNode.kind(node)
                + ": expected HH:MM from 00:00 to 24:00, quoted");
        return Optional.empty();
    }

    private Optional<ClosedDates> closed(YamlNode node, String window) {
        String what = "closed entry of " + window;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, CLOSED_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> reason = nodes.require(m.get(), "reason", what)
                .flatMap(r -> nodes.string(r, "reason"));
        Optional<YamlNode> dates = nodes.get(m.get(), "dates");
        Optional<YamlNode> monthly = nodes.get(m.get(), "monthly");
        if (dates.isPresent() == monthly.isPresent()) {
            nodes.problem(m.get().location(), what + " needs exactly one of \"dates\" or "
                    + "\"monthly\"");
            return Optional.empty();
        }
        String why = reason.orElse("");
        Optional<ClosedDates> c = dates.isPresent()
                ? dates.flatMap(d -> dates(d, why)) : monthly.flatMap(x -> monthly(x, why));
        return reason.isPresent() ? c : Optional.empty();
    }

    /** {@code MM-DD..MM-DD} (every year), {@code YYYY-MM-DD..YYYY-MM-DD}, or a single date. */
    private Optional<ClosedDates> dates(YamlNode node, String reason) {
        Optional<String> text = nodes.string(node, "dates");
        if (text.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = text.get().split("\\.\\.", -1);
        String start = parts[0].trim();
        String end = parts.length == 2 ? parts[1].trim() : start;
        if (parts.length > 2) {
            return badDates(node, text.get());
        }
        if (MONTH_DAY.matcher(start).matches() && MONTH_DAY.matcher(end).matches()) {
            Optional<MonthDay> s = monthDay(start);
            Optional<MonthDay> e = monthDay(end);
            return s.isPresent() && e.isPresent()
                    ? Optional.of(new ClosedDates.EveryYear(s.get(), e.get(), reason))
                    : badDates(node, text.get());
        }
        if (FULL_DATE.matcher(start).matches() && FULL_DATE.matcher(end).matches()) {
            return fullDates(node, text.get(), start, end, reason);
        }
        return badDates(node, text.get());
    }

    private Optional<ClosedDates> fullDates(YamlNode node, String text, String start,
            String end, String reason) {
        try {
            LocalDate s = LocalDate.parse(start);
            LocalDate e = LocalDate.parse(end);
            if (e.isBefore(s)) {
                nodes.problem(node.location(), "dates \"" + text + "\" end before they start");
                return Optional.empty();
            }
            return Optional.of(new ClosedDates.Between(s, e, reason));
        } catch (DateTimeException ex) {
            return badDates(node, text);
        }
    }

    private static Optional<MonthDay> monthDay(String text) {
        try {
            return Optional.of(MonthDay.parse("--" + text));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private Optional<ClosedDates> badDates(YamlNode node, String text) {
        nodes.problem(node.location(), "bad dates \"" + text + "\": expected MM-DD..MM-DD "
                + "(every year), YYYY-MM-DD..YYYY-MM-DD, or one such date");
        return Optional.empty();
    }

    /** {@code last-friday}, {@code first-monday}, {@code 2nd-tuesday}, ... */
    private Optional<ClosedDates> monthly(YamlNode node, String reason) {
        Optional<String> text = nodes.string(node, "monthly");
        Matcher m = MONTHLY.matcher(text.orElse("").toLowerCase(java.util.Locale.ROOT));
        if (m.matches() && ORDINALS.containsKey(m.group(1)) && DAYS.containsKey(m.group(2))) {
            return Optional.of(new ClosedDates.Monthly(ORDINALS.get(m.group(1)),
                    DAYS.get(m.group(2)), reason));
        }
        if (text.isPresent()) {
            nodes.problem(node.location(), "bad monthly \"" + text.get() + "\": expected "
                    + "first|second|third|fourth|fifth|last (or 1st..5th) and a day, "
                    + "such as last-friday or 2nd-tuesday");
        }
        return Optional.empty();
    }

    private Optional<Window.WindowOverride> override(YamlNode node, String window) {
        String what = "override of " + window;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, OVERRIDE_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        List<Nodes.Located> by = nodes.require(m.get(), "by", what)
                .map(b -> nodes.strings(b, "by")).orElse(List.of());
        roleRefs.addAll(by);
        Set<String> lifts = nodes.get(m.get(), "lifts").map(l -> lifts(l, what))
                .orElse(Set.of(Window.WindowOverride.WINDOW));
        return nodes.require(m.get(), "expires", what)
                .flatMap(x -> nodes.duration(x, "expires"))
                .map(d -> new Window.WindowOverride(Nodes.values(by), d, lifts));
    }

    /** {@code lifts: [window, promotion]}: an override always lifts its window. */
    private Set<String> lifts(YamlNode node, String override) {
        List<Nodes.Located> listed = nodes.strings(node, "lifts");
        listed.stream().filter(l -> !LIFTS.contains(l.value())).forEach(l -> nodes.problem(
                l.location(), "unknown lift \"" + l.value() + "\" (expected one of: "
                        + String.join(", ", LIFTS) + ")"));
        if (listed.stream().noneMatch(l -> l.value().equals(Window.WindowOverride.WINDOW))) {
            nodes.problem(node.location(), "lifts of " + override + " must include window: "
                    + "an override lifts its window");
        }
        return Nodes.values(listed);
    }

    private static Map<String, Integer> ordinals() {
        Map<String, Integer> m = new LinkedHashMap<>();
        String[] words = {"first", "second", "third", "fourth", "fifth"};
        String[] short_ = {"1st", "2nd", "3rd", "4th", "5th"};
        for (int i = 0; i < 5; i++) {
            m.put(words[i], i + 1);
            m.put(short_[i], i + 1);
        }
        m.put("last", -1);
        return Map.copyOf(m);
    }

    private static Map<String, DayOfWeek> days() {
        Map<String, DayOfWeek> m = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(java.util.Locale.ROOT);
            m.put(full.substring(0, 3), d);
            m.put(full, d);
        }
        return Map.copyOf(m);
    }
}
