package io.tidegate.decision;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import io.tidegate.policy.Durations;
import io.tidegate.policy.Environment;
import io.tidegate.policy.Promotion;
import io.tidegate.policy.Windows;

/**
 * The environment's {@code promotion}: an apply here needs a successful apply of the same change
 * (Git tree, commit or pull request, as {@code same} says) in {@code after}, recorded by Tidegate
 * at least {@code soak} before {@code now}. The earliest such apply counts, so a later re-apply
 * there never restarts the soak. An override lifts it only when its window's override says
 * {@code lifts: [window, promotion]}.
 */
final class PromotionCheck {
    private final Environment env;
    private final Facts facts;
    private final Instant now;
    private final Optional<Promotion> promotion;
    private final Optional<Instant> since;
    private final boolean lifted;
    private final ZoneId zone;

    /** {@code liftingOverride}: an active override that lifts promotion too. */
    PromotionCheck(Environment env, Facts facts, Instant now, boolean liftingOverride,
            ZoneId zone) {
        this.env = env;
        this.facts = facts;
        this.now = now;
        this.zone = zone;
        this.promotion = env.promotion();
        this.since = promotion.flatMap(this::earliest);
        this.lifted = liftingOverride;
    }

    Optional<Assessment.PromotionStatus> status() {
        return promotion.map(p -> new Assessment.PromotionStatus(p.after(), p.same().word(),
                since, readyAt(), lifted, p.enforce()));
    }

    /** When this environment may apply: the earliest matching apply plus the soak. */
    Optional<Instant> readyAt() {
        return promotion.flatMap(p -> since.map(s -> s.plus(p.soak())));
    }

    List<Reason> reasons() {
        if (promotion.isEmpty()) {
            return List.of();
        }
        Promotion p = promotion.get();
        Optional<Reason> r = reason(p);
        // Rule: an override lifts promotion only with lifts: [window, promotion].
        if (r.isEmpty() || lifted) {
            return r.map(x -> List.of(Reason.of(ReasonCode.OVERRIDE_ACTIVE, "promotion after "
                    + p.after() + " is lifted by an override: " + x.message()))).orElse(List.of());
        }
        return List.of(p.enforce() ? r.get() : r.get().unenforced());
    }

    private Optional<Reason> reason(Promotion p) {
        String change = change(p);
        if (since.isEmpty()) {
            // Rule: nothing succeeded in `after` for the same change: the promotion is missing.
            return Optional.of(Reason.of(ReasonCode.PROMOTION_MISSING, env.name()
                    + " applies only what succeeded in " + p.after() + " first: no successful "
                    + p.after() + " apply of " + change + " is recorded",
                    "apply " + change + " in " + p.after() + " first"
                            + (p.soak().isZero() ? "" : "; " + env.name() + " may follow "
                                    + Durations.format(p.soak()) + " later")));
        }
        Instant ready = readyAt().orElseThrow();
        // Rule: the soak is half-open: ready at exactly since + soak.
        if (now.isBefore(ready)) {
            return Optional.of(Reason.of(ReasonCode.PROMOTION_SOAKING, change + " succeeded in "
                    + p.after() + " at " + Windows.format(since.get(), zone) + "; "
                    + env.name() + " needs it to soak " + Durations.format(p.soak())
                    + " there first", "wait until " + Windows.format(ready, zone)));
        }
        return Optional.empty();
    }

    private Optional<Instant> earliest(Promotion p) {
        return facts.applies().stream()
                .filter(a -> a.environment().equals(p.after()))
                .filter(a -> isSame(p.same(), a))
                .map(PriorApply::finishedAt)
                .filter(t -> !t.isAfter(now))
                .min(Comparator.naturalOrder());
    }

    /** Rule: the same tree, commit, or pull request (same repository) as this head. */
    private boolean isSame(Promotion.Same same, PriorApply a) {
        PullRequest pr = facts.pullRequest();
        return switch (same) {
            case TREE -> facts.headTree().isPresent()
                    && a.treeSha().equals(facts.headTree());
            case COMMIT -> a.commitSha().equals(pr.headSha());
            case PR -> a.repo().equals(pr.repo()) && a.pullNumber() == pr.number();
        };
    }

    private String change(Promotion p) {
        return switch (p.same()) {
            case TREE -> facts.headTree().map(t -> "tree " + shorten(t))
                    .orElse("this commit's tree");
            case COMMIT -> "commit " + Evaluation.shortSha(facts);
            case PR -> "pull request " + facts.pullRequest().key();
        };
    }

    private static String shorten(String sha) {
        return sha.length() > 7 ? sha.substring(0, 7) : sha;
    }
}
