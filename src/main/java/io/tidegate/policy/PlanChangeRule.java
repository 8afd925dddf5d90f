package io.tidegate.policy;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of an environment's {@code plan_rules}: which resource changes of the plan it is
 * about ({@link Match}), and what such a change then needs. With {@code deny} any matching change
 * denies the apply ({@code plan-rule-denied}, the text being the policy author's explanation);
 * otherwise the rule adds {@code approvals} and {@code require} to the environment's, only when
 * some change matches. {@code enforce: false} reports what the rule would deny without denying.
 *
 * <pre>
 * - name: protect-data
 *   match: { types: ["aws_db_instance", "aws_s3_bucket"], actions: [delete, replace] }
 *   deny: "Data stores are not deleted or replaced through Atlantis: ask the DBA team"
 * </pre>
 */
public record PlanChangeRule(
        String name,
        Match match,
        Optional<String> deny,
        Optional<RuleApprovals> approvals,
        Requirements require,
        boolean enforce) {
    public PlanChangeRule {
        Objects.requireNonNull(name, "name == null");
        Objects.requireNonNull(match, "match == null");
        Objects.requireNonNull(deny, "deny == null");
        Objects.requireNonNull(approvals, "approvals == null");
        Objects.requireNonNull(require, "require == null");
    }

    /**
     * Which changes a rule is about. Every key given must match; the patterns of one key are
     * alternatives; a key left out matches anything. {@code actions} are create, update, delete
     * and replace; a replacement is also a create and a delete (so {@code delete} catches the
     * replacement that destroys the resource too).
     */
    public record Match(List<Glob> types, List<Glob> addresses, Set<String> actions) {
        public Match {
            types = List.copyOf(Objects.requireNonNull(types, "types == null"));
            addresses = List.copyOf(Objects.requireNonNull(addresses, "addresses == null"));
            actions = OrderedSets.copyOf(actions, "actions");
        }

        /** Whether a change of this address and type, doing these actions (words), is matched. */
        public boolean matches(String address, String type, List<String> changeActions) {
            return anyAction(changeActions) && fits(types, type) && fits(addresses, address);
        }

        // indexed loops, not streams or iterators: this runs per change per rule of every
        // decision (issue 19)
        private boolean anyAction(List<String> changeActions) {
            if (actions.isEmpty()) {
                return true;
            }
            for (int i = 0; i < changeActions.size(); i++) {
                if (actions.contains(changeActions.get(i))) {
                    return true;
                }
            }
            return false;
        }

        private static boolean fits(List<Glob> globs, String value) {
            if (globs.isEmpty()) {
                return true;
            }
            for (int i = 0; i < globs.size(); i++) {
                if (globs.get(i).matches(value)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** At least {@code count} counted approvals from {@code from} (anyone's when empty). */
    public record RuleApprovals(int count, Set<String> from) {
        public RuleApprovals {
            from = OrderedSets.copyOf(from, "from");
        }
    }
}
