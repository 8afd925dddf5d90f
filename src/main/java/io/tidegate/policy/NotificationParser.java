package io.tidegate.policy;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Parses the {@code notifications:} section into {@link NotificationRules}. */
final class NotificationParser {
    private static final List<String> RULE_KEYS =
            List.of("slack", "mention", "email", "environments");
    private static final List<String> EVENT_KEYS = Stream.of(NotificationRules.Event.values())
            .map(NotificationRules.Event::key).collect(Collectors.toList());

    private final Nodes nodes;
    /** Environment names used, checked once environments are known. */
    private final List<Nodes.Located> environmentRefs;

    NotificationParser(Nodes nodes, List<Nodes.Located> environmentRefs) {
        this.nodes = nodes;
        this.environmentRefs = environmentRefs;
    }

    NotificationRules rules(YamlNode node) {
        Map<NotificationRules.Event, NotificationRules.Rule> out =
                new EnumMap<>(NotificationRules.Event.class);
        Optional<YamlNode.Mapping> m = nodes.mapping(node, "notifications", EVENT_KEYS);
        for (YamlNode.Entry e : m.map(x -> x.entries().values()).orElse(List.of())) {
            if (EVENT_KEYS.contains(e.key())) {
                NotificationRules.Event event = NotificationRules.Event.valueOf(
                        e.key().toUpperCase(java.util.Locale.ROOT));
                rule(e.key(), e.value()).ifPresent(r -> out.put(event, r));
            }
        }
        return new NotificationRules(out);
    }

    private Optional<NotificationRules.Rule> rule(String event, YamlNode node) {
        String what = "notification " + event;
        Optional<YamlNode.Mapping> m = nodes.mapping(node, what, RULE_KEYS);
        if (m.isEmpty()) {
            return Optional.empty();
        }
        List<String> slack = nodes.get(m.get(), "slack")
                .map(s -> List.copyOf(Nodes.values(nodes.strings(s, "slack")))).orElse(List.of());
        Map<String, List<String>> mention = new LinkedHashMap<>();
        nodes.get(m.get(), "mention").flatMap(x -> nodes.namedMapping(x, "mention of " + event))
                .ifPresent(x -> x.entries().values().forEach(e -> {
                    if (!e.key().equals("*")) {
                        environmentRefs.add(new Nodes.Located(e.key(), e.keyLocation()));
                    }
                    mention.put(e.key(), List.copyOf(Nodes.values(
                            nodes.strings(e.value(), "mention " + e.key()))));
                }));
        boolean email = nodes.get(m.get(), "email").flatMap(x -> nodes.bool(x, "email"))
                .orElse(false);
        List<Nodes.Located> envs = nodes.get(m.get(), "environments")
                .map(x -> nodes.strings(x, "environments")).orElse(List.of());
        environmentRefs.addAll(envs);
        return Optional.of(new NotificationRules.Rule(slack, mention, email, Nodes.values(envs)));
    }
}
