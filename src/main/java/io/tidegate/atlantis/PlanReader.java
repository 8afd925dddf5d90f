package io.tidegate.atlantis;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ResourceChange;
import io.tidegate.text.JsonProblem;

/**
 * Lists and counts what a Terraform plan creates, updates and deletes (by address and resource
 * type) from {@code terraform show -json} output. It streams: only
 * {@code resource_changes[].address}, {@code .type}, {@code .name}, {@code .mode} and
 * {@code .change.actions} are looked at (hashicorp/terraform
 * {@code internal/command/jsonplan/resource.go}, {@code ResourceChange}), everything else
 * (prior state, configuration, before/after values) is skipped token by token, so a 50 MB plan
 * needs memory only for the addresses of the resources it changes.
 *
 * <p>Rules, from Terraform's JSON output format ("Change Representation"):
 * <ul>
 *   <li>{@code ["delete","create"]} and {@code ["create","delete"]} are a replacement: one create
 *       and one delete.</li>
 *   <li>{@code no-op}, {@code read} and {@code forget} change no infrastructure and are not
 *       counted; neither are data sources ({@code mode: data}).</li>
 *   <li>Resources in nested modules are in the same flat {@code resource_changes} list and count.
 *   </li>
 *   <li>{@code resource_drift} (changes made outside Terraform) is not what the apply will do and
 *       is skipped.</li>
 * </ul>
 * Thread-safe; the caller owns and closes the stream (and bounds its size).
 */
public final class PlanReader {
    private static final Set<String> KNOWN_ACTIONS =
            Set.of("no-op", "create", "read", "update", "delete", "forget");

    private final JsonFactory factory = JsonFactory.builder()
            .disable(StreamReadFeature.AUTO_CLOSE_SOURCE)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    public PlanChange read(InputStream in) throws IOException {
        try (JsonParser p = factory.createParser(in)) {
            return readPlan(p);
        } catch (JsonProcessingException e) {
            throw new MalformedPlanException("not valid JSON"
                    + JsonProblem.where(e.getLocation()) + ": " + JsonProblem.describe(e));
        }
    }

    private static PlanChange readPlan(JsonParser p) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            throw new MalformedPlanException("top level: expected a JSON object (terraform show"
                    + " -json output), found " + describe(first, p));
        }
        Counts counts = new Counts();
        boolean sawFormatVersion = false;
        boolean sawPlan = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("format_version")) {
                sawFormatVersion = true;
            } else if (field.equals("resource_changes")) {
                sawPlan = true;
                readChanges(p, value, counts);
                continue;
            } else if (field.equals("planned_values")) {
                sawPlan = true;
            }
            p.skipChildren();
        }
        if (p.nextToken() != null) {
            throw new MalformedPlanException("unexpected content after the plan's closing brace"
                    + JsonProblem.where(p.currentTokenLocation()));
        }
        // A state file (terraform show -json without a plan) has format_version but no plan.
        if (!sawFormatVersion || !sawPlan) {
            throw new MalformedPlanException("not a terraform show -json plan: expected"
                    + " format_version and planned_values or resource_changes at the top level");
        }
        return counts.toPlanChange();
    }

    private static void readChanges(JsonParser p, JsonToken value, Counts counts)
            throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return;
        }
        expect(p, value, JsonToken.START_ARRAY, "resource_changes", "an array");
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            readChange(p, t, "resource_changes[" + i + "]", counts);
            i++;
        }
    }

    private static void readChange(JsonParser p, JsonToken start, String path, Counts counts)
            throws IOException {
        expect(p, start, JsonToken.START_OBJECT, path, "an object");
        String type = null;
        String address = null;
        String name = null;
        String mode = "managed";
        Actions actions = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "type" -> type = text(p, value, path + ".type");
                case "address" -> address = text(p, value, path + ".address");
                case "name" -> name = text(p, value, path + ".name");
                case "mode" -> mode = text(p, value, path + ".mode");
                case "change" -> actions = readActions(p, value, path + ".change");
                default -> p.skipChildren();
            }
        }
        if (type == null || type.isEmpty()) {
            throw new MalformedPlanException(path + ".type: expected a resource type, found"
                    + " nothing");
        }
        if (actions == null) {
            throw new MalformedPlanException(path + ".change.actions: expected a list of"
                    + " actions, found nothing");
        }
        if (!mode.equals("data")) {
            // Terraform always writes the address; a hand-made plan without one is named
            // type.name as Terraform would for a root-module resource.
            counts.add(address != null ? address : name != null ? type + "." + name : type,
                    type, actions);
        }
    }

    private static Actions readActions(JsonParser p, JsonToken start, String path)
            throws IOException {
        expect(p, start, JsonToken.START_OBJECT, path, "an object");
        Actions actions = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("actions")) {
                actions = readActionList(p, value, path + ".actions");
            } else {
                p.skipChildren(); // before, after, after_unknown...: the bulk of a plan
            }
        }
        return actions;
    }

    private static Actions readActionList(JsonParser p, JsonToken start, String path)
            throws IOException {
        expect(p, start, JsonToken.START_ARRAY, path, "a list of actions");
        Actions a = new Actions();
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            String action = text(p, t, path + "[" + i + "]");
            if (!KNOWN_ACTIONS.contains(action)) {
                // Fail closed: an action we do not know could be one that destroys.
                throw new MalformedPlanException(path + "[" + i + "]: unknown action \""
                        + shorten(action) + "\", expected one of " + new java.util.TreeSet<>(
                        KNOWN_ACTIONS));
            }
            a.create |= action.equals("create");
            a.update |= action.equals("update");
            a.delete |= action.equals("delete");
            i++;
        }
        if (i == 0) {
            throw new MalformedPlanException(path + ": expected at least one action, found []");
        }
        return a;
    }

    private static String text(JsonParser p, JsonToken t, String path) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new MalformedPlanException(path + ": expected a string, found "
                    + describe(t, p));
        }
        return p.getText();
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken wanted, String path,
            String what) throws IOException {
        if (actual != wanted) {
            throw new MalformedPlanException(path + ": expected " + what + ", found "
                    + describe(actual, p));
        }
    }

    private static String describe(JsonToken t, JsonParser p) throws IOException {
        if (t == null) {
            return "the end of the input";
        }
        return switch (t) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "\"" + shorten(p.getText()) + "\"";
            case VALUE_NULL -> "null";
            default -> p.getText();
        };
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** Which of create, update and delete one resource change contains. */
    private static final class Actions {
        boolean create;
        boolean update;
        boolean delete;
    }

    private static final class Counts {
        final List<ResourceChange> changes = new ArrayList<>();

        void add(String address, String type, Actions a) {
            // no-op, read and forget change no infrastructure: not listed, not counted.
            if (a.create || a.update || a.delete) {
                changes.add(ResourceChange.of(address, type, a.create, a.update, a.delete));
            }
        }

        PlanChange toPlanChange() {
            return PlanChange.of(changes);
        }
    }
}
