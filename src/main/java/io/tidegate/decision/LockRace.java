package io.tidegate.decision;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The gate's last step after an allowed apply: taking the environment's lock. When another PR
 * won the lock between the facts and the take (the engine saw it free), the apply is denied
 * with {@code lock-held} naming the winner. Pure, so a replay of the audit row gives the same
 * decision as the gate did.
 *
 * @param holder    the PR that holds the lock ({@code owner/name#number})
 * @param expiresAt when its lock expires
 */
public record LockRace(String holder, Instant expiresAt) {
    public LockRace {
        Objects.requireNonNull(holder, "holder == null");
        Objects.requireNonNull(expiresAt, "expiresAt == null");
    }

    /** The allowed decision turned into a deny by this lost race. */
    public Decision deny(Decision allowed) {
        Assessment a = allowed.assessment();
        List<Reason> reasons = new ArrayList<>(allowed.reasons());
        reasons.add(new Reason(ReasonCode.LOCK_HELD, a.environment().orElse("") + " is locked "
                + "by " + holder + " (an apply in progress) until " + expiresAt,
                Optional.of("wait for " + holder + "'s apply to finish, then comment "
                        + "atlantis apply again")));
        return new Decision.Deny(reasons, new Assessment(a.command(), a.project(),
                a.environment(), a.approvals(), a.window(), a.cost(), a.resources(),
                a.override(), Optional.of(holder)));
    }
}
