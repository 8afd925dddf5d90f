package io.tidegate.decision;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Windows;

/**
 * The on-demand freeze rule of one environment at one moment: a freeze recorded for the
 * environment and in force now ({@link Freeze#isActiveAt}) blocks the apply like a closed window
 * ({@code freeze-active}, naming who froze it, why and until when). A window override lifts it
 * only when the freeze says {@code overridable}; it then allows with the note
 * {@code override-active}. When several are in force (a replica raced another), the one that ends
 * last decides, an open-ended one last of all.
 */
final class FreezeCheck {
    private final Optional<Freeze> freeze;
    private final Optional<Assessment.ActiveOverride> override;
    private final ZoneId zone;
    private final String environment;

    FreezeCheck(PolicySet policy, Environment env, Facts facts, Instant now,
            Optional<Assessment.ActiveOverride> override, Optional<ZoneId> windowZone) {
        this.environment = env.name();
        this.freeze = facts.freezes().stream()
                .filter(f -> f.environment().equals(env.name()) && f.isActiveAt(now))
                .max(Comparator.comparing((Freeze f) -> f.until().orElse(Instant.MAX)));
        this.override = override;
        this.zone = windowZone.orElse(policy.timezone());
    }

    List<Reason> reasons() {
        if (freeze.isEmpty()) {
            return List.of();
        }
        Freeze f = freeze.get();
        // Rule: an override lifts an on-demand freeze only when the freeze says overridable.
        if (isLifted()) {
            Assessment.ActiveOverride o = override.get();
            return List.of(Reason.of(ReasonCode.OVERRIDE_ACTIVE, "the freeze of " + environment
                    + " by " + f.by() + " is lifted by " + o.user() + "'s override ("
                    + o.reason() + ") until " + Windows.format(o.expires(), zone)));
        }
        String until = f.until().map(u -> "until " + Windows.format(u, zone))
                .orElse("until someone unfreezes it");
        return List.of(Reason.of(ReasonCode.FREEZE_ACTIVE, environment + " is frozen by "
                + f.by() + " " + until + ": " + f.reason(), remedy(f)));
    }

    Optional<Assessment.FreezeStatus> status() {
        return freeze.map(f -> new Assessment.FreezeStatus(f.by(), f.reason(), f.since(),
                f.until(), f.until().map(u -> Windows.format(u, zone)), f.overridable(),
                isLifted()));
    }

    private boolean isLifted() {
        return freeze.isPresent() && freeze.get().overridable() && override.isPresent();
    }

    private String remedy(Freeze f) {
        String wait = f.until().map(u -> "wait until " + Windows.format(u, zone))
                .orElse("wait until the freeze is lifted");
        return wait + "; or ask someone allowed to freeze " + environment
                + " to comment `tidegate unfreeze " + environment + "`"
                + (f.overridable() ? "; or an override of the window lifts it" : "");
    }
}
