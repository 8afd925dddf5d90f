package io.tidegate.decision;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;

/**
 * The gate's three denies given before the engine is asked: nobody to judge
 * ({@code actor-unknown}), a commit other than the PR's head ({@code head-moved}) and facts that
 * could not be gathered ({@code facts-unavailable}). Each is a {@link Decision.Deny} with one
 * reason, so the gate's answer, the audit row and its counter use the same {@link ReasonCode}
 * as every engine deny. Pure: the gate passes what it observed. The assessment names only the
 * command, the project and its environment; nothing else was judged.
 */
public final class GateRefusal {
    private GateRefusal() {}

    /**
     * What Atlantis says about the run the gate is asked about.
     *
     * @param stage        the Atlantis stage's word ({@code apply}, {@code import})
     * @param stageComment the comment that runs the stage again ({@code atlantis apply})
     * @param user         Atlantis's {@code USER_NAME}; empty for a run started through its API
     * @param commit       the commit Atlantis runs (its {@code HEAD_COMMIT})
     */
    public record Run(Command command, ProjectRef project, String stage, String stageComment,
            String user, String commit) {
        public Run {
            Objects.requireNonNull(command, "command == null");
            Objects.requireNonNull(project, "project == null");
            Objects.requireNonNull(stage, "stage == null");
            Objects.requireNonNull(stageComment, "stageComment == null");
            Objects.requireNonNull(user, "user == null");
            Objects.requireNonNull(commit, "commit == null");
        }
    }

    /**
     * Rule: a run with no {@code USER_NAME} was started through Atlantis's API: nobody to judge
     * (Atlantis itself judges {@code USER_NAME}; an empty one cannot hold a role).
     */
    public static Optional<Decision> actorUnknown(PolicySet policy, Run run) {
        if (!run.user().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(deny(policy, run, ReasonCode.ACTOR_UNKNOWN, "the " + run.stage()
                + " has no user (USER_NAME is empty: started through Atlantis's API), so nobody"
                + " can be judged", "comment " + run.stageComment() + " on the pull request"));
    }

    /**
     * Rule: approvals and reports count for GitHub's head commit only (seed 004), so an apply of
     * another commit is refused. A plan of an older commit is harmless and judged as usual.
     */
    public static Optional<Decision> headMoved(PolicySet policy, Run run, String headSha) {
        if (run.command() != Command.APPLY || headSha.equals(run.commit())) {
            return Optional.empty();
        }
        return Optional.of(deny(policy, run, ReasonCode.HEAD_MOVED, "Atlantis applies commit "
                + run.commit() + " but the pull request's head is now " + headSha,
                "comment atlantis plan for the new head commit, then " + run.stageComment()
                        + " again"));
    }

    /** Rule: without the facts nothing can be judged, so the gate fails closed. */
    public static Decision factsUnavailable(PolicySet policy, Run run, String problem) {
        return deny(policy, run, ReasonCode.FACTS_UNAVAILABLE,
                "the facts could not be gathered: " + problem, RETRY);
    }

    /**
     * {@link #factsUnavailable} when GitHub did not answer within {@code budget}, the share of
     * the hook's wait Tidegate gives it: named as slowness, not as a missing fact.
     */
    public static Decision gitHubTooSlow(PolicySet policy, Run run, Duration budget,
            String problem) {
        return deny(policy, run, ReasonCode.FACTS_UNAVAILABLE, "GitHub is slow: it did not "
                + "answer within the " + budget.toSeconds() + " s Tidegate may wait for it"
                + " during a gate call (" + problem + ")", RETRY);
    }

    private static final String RETRY = "comment the command again in a minute; if it persists,"
            + " check Tidegate's access to GitHub";

    private static Decision deny(PolicySet policy, Run run, ReasonCode code, String why,
            String remedy) {
        Optional<String> env = DecisionEngine.environmentFor(policy, run.project())
                .map(Environment::name);
        Assessment none = Assessment.none(run.command(), run.project());
        return new Decision.Deny(List.of(Reason.of(code, why, remedy)), new Assessment(
                none.command(), none.project(), env, none.approvals(), none.window(),
                none.cost(), none.resources(), none.override(), none.lockHolder()));
    }
}
