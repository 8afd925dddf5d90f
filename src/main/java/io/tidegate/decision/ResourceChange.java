package io.tidegate.decision;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One managed resource a Terraform plan changes, as {@code terraform show -json} lists it in
 * {@code resource_changes[]} ({@code address}, {@code type}, {@code change.actions};
 * hashicorp/terraform {@code internal/command/jsonplan/resource.go}, action spellings in
 * {@code plan.go} {@code actionString}, v1.17 line). {@code no-op}, {@code read} and
 * {@code forget} change no infrastructure and are never listed; data sources neither.
 *
 * <p>{@code actions} is what the change does, as plan rules match it: a replacement
 * ({@code ["delete","create"]} or {@code ["create","delete"]}) is {@link Action#REPLACE} and also
 * a {@link Action#CREATE} and a {@link Action#DELETE}, as {@code max_created} counts it; so a rule
 * on {@code delete} also catches the replacement that destroys the resource.
 */
public record ResourceChange(String address, String type, Set<Action> actions) {
    public ResourceChange {
        Objects.requireNonNull(address, "address == null");
        Objects.requireNonNull(type, "type == null");
        Objects.requireNonNull(actions, "actions == null");
        if (actions.isEmpty()) {
            throw new IllegalArgumentException("a resource change needs an action: " + address);
        }
        actions = Set.copyOf(EnumSet.copyOf(actions));
    }

    /** From Terraform's action flags: replace when it both creates and deletes. */
    public static ResourceChange of(String address, String type, boolean create, boolean update,
            boolean delete) {
        Set<Action> a = EnumSet.noneOf(Action.class);
        if (create) {
            a.add(Action.CREATE);
        }
        if (update) {
            a.add(Action.UPDATE);
        }
        if (delete) {
            a.add(Action.DELETE);
        }
        if (create && delete) {
            a.add(Action.REPLACE);
        }
        return new ResourceChange(address, type, a);
    }

    /** The change as one word: replace, create, delete or update. */
    public String verb() {
        if (actions.contains(Action.REPLACE)) {
            return "replace";
        }
        if (actions.contains(Action.CREATE)) {
            return "create";
        }
        if (actions.contains(Action.DELETE)) {
            return "delete";
        }
        return "update";
    }

    /** The actions plan rules name, spelt as in the policy ({@code replace}). */
    public enum Action {
        CREATE, UPDATE, DELETE, REPLACE;

        /** Lower-cased once: plan rules ask for it per change and rule (issue 19). */
        private final String word = name().toLowerCase(java.util.Locale.ROOT);

        public String word() {
            return word;
        }
    }
}
