package io.tidegate.store;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ResourceChange;

/** Encodings both engines share, so a record reads back the same from either. */
final class Codec {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Map<String, Integer>>> PLAN =
            new TypeReference<>() {};
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    /**
     * Plans decoded lately, by their stored text: every gate decision reads the PR's reports
     * again, and decoding their JSON was a tenth of the gate's CPU (JFR, issue 19). A
     * {@link PlanChange} is immutable and a pure function of its text, so a hit is the same value
     * a decode would give.
     */
    private static final DecodeCache<PlanChange> DECODED = new DecodeCache<>(256, 2_000_000);

    private Codec() {}

    /**
     * The counts, and (key {@code changes}, when known) each change as
     * {@code [address, type, "create,delete,replace"]}. Rows written before changes were kept
     * read back without them: plan rules then fail closed on that report.
     */
    static String planToJson(PlanChange plan) {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("created", plan.createdByType());
        m.put("updated", plan.updatedByType());
        m.put("deleted", plan.deletedByType());
        plan.changes().ifPresent(c -> m.put("changes", c.stream().map(Codec::change).toList()));
        return write(m);
    }

    static PlanChange planFromJson(String json) {
        return DECODED.get(json, Codec::decodePlan);
    }

    private static PlanChange decodePlan(String json) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = JSON.readTree(json);
            Map<String, Map<String, Integer>> m = JSON.convertValue(
                    ((com.fasterxml.jackson.databind.node.ObjectNode) root.deepCopy())
                            .without("changes"), PLAN);
            Optional<List<ResourceChange>> changes = root.has("changes")
                    ? Optional.of(changes(root.get("changes"))) : Optional.empty();
            return new PlanChange(m.getOrDefault("created", Map.of()),
                    m.getOrDefault("updated", Map.of()), m.getOrDefault("deleted", Map.of()),
                    changes);
        } catch (JsonProcessingException | ClassCastException | IllegalArgumentException e) {
            throw new StoreException("stored plan counts are not valid JSON", e);
        }
    }

    private static List<String> change(ResourceChange c) {
        return List.of(c.address(), c.type(), c.actions().stream()
                .map(ResourceChange.Action::word).sorted()
                .collect(java.util.stream.Collectors.joining(",")));
    }

    private static List<ResourceChange> changes(com.fasterxml.jackson.databind.JsonNode list) {
        List<ResourceChange> out = new ArrayList<>();
        for (com.fasterxml.jackson.databind.JsonNode c : list) {
            java.util.Set<ResourceChange.Action> actions =
                    java.util.EnumSet.noneOf(ResourceChange.Action.class);
            for (String a : c.path(2).asText().split(",")) {
                actions.add(ResourceChange.Action.valueOf(a.toUpperCase(java.util.Locale.ROOT)));
            }
            out.add(new ResourceChange(c.path(0).asText(), c.path(1).asText(), actions));
        }
        return out;
    }

    static String stringsToJson(List<String> values) {
        return write(values);
    }

    static List<String> stringsFromJson(String json) {
        try {
            return new ArrayList<>(JSON.readValue(json, STRINGS));
        } catch (JsonProcessingException e) {
            throw new StoreException("stored list is not valid JSON", e);
        }
    }

    /** A decimal as text (never in exponent form), null when unknown. */
    static String decimal(Optional<BigDecimal> value) {
        return value.map(BigDecimal::toPlainString).orElse(null);
    }

    static Optional<BigDecimal> decimal(String text) {
        return text == null ? Optional.empty() : Optional.of(new BigDecimal(text));
    }

    /** Sorts lexicographically in time order: zero-padded epoch millis. */
    static String sortableTime(Instant t) {
        return String.format("%015d", t.toEpochMilli());
    }

    /** The deployment list cursor: the last item's start and id, opaque to callers. */
    static String cursor(Deployment last) {
        String raw = last.startedAt().toEpochMilli() + ":" + last.id();
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** Start millis and id from a cursor; {@link IllegalArgumentException} when malformed. */
    static Map.Entry<Long, String> cursor(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            if (colon <= 0 || colon == raw.length() - 1) {
                throw new IllegalArgumentException("cursor is malformed");
            }
            return Map.entry(Long.parseLong(raw.substring(0, colon)), raw.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            // NumberFormatException and bad Base64 both land here
            throw new IllegalArgumentException("cursor is malformed", e);
        }
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot happen for maps and lists of strings", e);
        }
    }
}
