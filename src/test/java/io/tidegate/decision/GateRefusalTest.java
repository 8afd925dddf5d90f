package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.POLICY;
import static io.tidegate.decision.DecisionEngineTest.PROD;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class GateRefusalTest {
    private static final String HEAD = "b".repeat(40);

    private static GateRefusal.Run apply(String user, String commit) {
        return new GateRefusal.Run(Command.APPLY, PROD, "apply", "atlantis apply", user, commit);
    }

    @Test
    void denyWhenTheRunHasNoUser() {
        Decision d = GateRefusal.actorUnknown(POLICY, apply("", HEAD)).orElseThrow();

        assertThat(d.isAllowed()).isFalse();
        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.ACTOR_UNKNOWN,
                "the apply has no user (USER_NAME is empty: started through Atlantis's API), so"
                        + " nobody can be judged",
                Optional.of("comment atlantis apply on the pull request")));
        assertThat(d.assessment().environment()).contains("production");
    }

    @Test
    void noRefusalWhenTheRunHasAUser() {
        assertThat(GateRefusal.actorUnknown(POLICY, apply("lead-park", HEAD))).isEmpty();
    }

    @Test
    void denyAnApplyOfACommitOtherThanTheHead() {
        String old = "a".repeat(40);
        Decision d = GateRefusal.headMoved(POLICY, apply("lead-park", old), HEAD).orElseThrow();

        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.HEAD_MOVED,
                "Atlantis applies commit " + old + " but the pull request's head is now " + HEAD,
                Optional.of("comment atlantis plan for the new head commit, then atlantis apply"
                        + " again")));
    }

    @Test
    void aPlanOfAnOlderCommitIsNotRefused() {
        GateRefusal.Run plan = new GateRefusal.Run(Command.PLAN, PROD, "plan", "atlantis plan",
                "lead-park", "a".repeat(40));

        assertThat(GateRefusal.headMoved(POLICY, plan, HEAD)).isEmpty();
    }

    @Test
    void denyWhenGitHubIsSlowerThanItsBudgetNamingTheBudget() {
        Decision d = GateRefusal.gitHubTooSlow(POLICY, apply("lead-park", HEAD),
                Duration.ofSeconds(12), "read timed out");

        assertThat(d.codes()).isEqualTo(List.of("facts-unavailable"));
        assertThat(d.reasons().get(0).message()).isEqualTo("GitHub is slow: it did not answer "
                + "within the 12 s Tidegate may wait for it during a gate call (read timed out)");
    }

    @Test
    void everyRefusalCodeIsABlockingGateRefusal() {
        assertThat(List.of(ReasonCode.values()).stream().filter(ReasonCode::isGateRefusal))
                .containsExactly(ReasonCode.HEAD_MOVED, ReasonCode.ACTOR_UNKNOWN,
                        ReasonCode.FACTS_UNAVAILABLE)
                .allMatch(ReasonCode::isBlocking);
    }
}
