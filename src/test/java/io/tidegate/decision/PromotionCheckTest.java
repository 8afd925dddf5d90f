package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.at;
import static io.tidegate.decision.DecisionEngineTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.PolicySet;
import org.junit.jupiter.api.Test;

/** promotion: production only after the same change succeeded in staging, soak included. */
class PromotionCheckTest {
    static final String POLICY_TEXT = """
            version: 1
            timezone: Asia/Seoul
            roles:
              cto: { users: [cto-lee] }
            environments:
              staging:
                match: { dirs: ["environments/staging/**"] }
              production:
                match: { dirs: ["environments/prod/**"] }
                promotion: { after: staging, same: SAME, soak: 1h }
                apply: { window: prod-hours }
            windows:
              prod-hours:
                open: [ { days: [mon, tue, wed, thu, fri, sat, sun], from: "00:00", to: "24:00" } ]
                override: { by: [cto], expires: 2h, lifts: LIFTS }
            """;
    static final PolicySet TREE = policy("tree", "[window, promotion]");
    static final String HEAD = "9f1c2d3aaaa";
    static final ProjectRef PROD = new ProjectRef("prod", "environments/prod", "default");
    static final Instant NOW = at("2026-11-23T10:00:00+09:00");

    static PolicySet policy(String same, String lifts) {
        return parse(POLICY_TEXT.replace("SAME", same).replace("LIFTS", lifts));
    }

    static Facts facts(Optional<String> tree, PriorApply... applies) {
        PullRequest pr = new PullRequest("acme/infra", 7, "main", HEAD, "dev-kim", false,
                Set.of(), "");
        return new Facts(Command.APPLY, PROD, pr, "cto-lee", Map.of(), List.of(), List.of(),
                List.of(), List.of()).withPromotionFacts(tree, List.of(applies));
    }

    static PriorApply staged(String env, int pr, String commit, String tree, String finished) {
        return new PriorApply(env, "acme/infra", pr, commit, Optional.of(tree), at(finished));
    }

    @Test
    void denyPromotionMissingWhenStagingNeverAppliedTheTree() {
        Decision d = DecisionEngine.decide(TREE, facts(Optional.of("tree111aaaa")), NOW);

        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.PROMOTION_MISSING,
                "production applies only what succeeded in staging first: no successful staging"
                        + " apply of tree tree111 is recorded",
                Optional.of("apply tree tree111 in staging first; production may follow 1h "
                        + "later")));
        assertThat(d.assessment().promotion()).contains(new Assessment.PromotionStatus(
                "staging", "tree", Optional.empty(), Optional.empty(), false, true));
    }

    @Test
    void denyPromotionSoakingWithTheMomentItIsReady() {
        Decision d = DecisionEngine.decide(TREE, facts(Optional.of("tree111aaaa"),
                staged("staging", 6, "merge999", "tree111aaaa", "2026-11-23T09:30:00+09:00")),
                NOW);

        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.PROMOTION_SOAKING,
                "tree tree111 succeeded in staging at Mon 2026-11-23 09:30 KST; production "
                        + "needs it to soak 1h there first",
                Optional.of("wait until Mon 2026-11-23 10:30 KST")));
        assertThat(d.assessment().promotion().get().readyAt())
                .contains(at("2026-11-23T10:30:00+09:00"));
    }

    @Test
    void allowOnceTheSoakHasPassedExactly() {
        Facts f = facts(Optional.of("tree111aaaa"),
                staged("staging", 6, "merge999", "tree111aaaa", "2026-11-23T09:00:00+09:00"));

        assertThat(DecisionEngine.decide(TREE, f, NOW).isAllowed()).isTrue();
    }

    @Test
    void theEarliestStagingApplyStartsTheSoak() {
        Facts f = facts(Optional.of("tree111aaaa"),
                staged("staging", 6, "a", "tree111aaaa", "2026-11-23T09:50:00+09:00"),
                staged("staging", 6, "b", "tree111aaaa", "2026-11-23T08:00:00+09:00"));

        assertThat(DecisionEngine.decide(TREE, f, NOW).isAllowed()).isTrue();
    }

    @Test
    void anApplyOfAnotherEnvironmentOrTreeNeverCounts() {
        Facts f = facts(Optional.of("tree111aaaa"),
                staged("develop", 6, HEAD, "tree111aaaa", "2026-11-20T09:00:00+09:00"),
                staged("staging", 6, HEAD, "tree222bbbb", "2026-11-20T09:00:00+09:00"));

        assertThat(DecisionEngine.decide(TREE, f, NOW).codes())
                .containsExactly("promotion-missing");
    }

    @Test
    void denyWhenTheHeadTreeIsUnknown() {
        Facts f = facts(Optional.empty(),
                staged("staging", 6, HEAD, "tree111aaaa", "2026-11-20T09:00:00+09:00"));

        assertThat(DecisionEngine.decide(TREE, f, NOW).reasons().get(0).message()).isEqualTo(
                "production applies only what succeeded in staging first: no successful staging"
                        + " apply of this commit's tree is recorded");
    }

    @Test
    void sameCommitNeedsTheHeadCommitApplied() {
        PolicySet commit = policy("commit", "[window]");
        Facts other = facts(Optional.of("t"),
                staged("staging", 7, "0ld0ld0", "t", "2026-11-20T09:00:00+09:00"));
        Facts same = facts(Optional.of("t"),
                staged("staging", 7, HEAD, "x", "2026-11-20T09:00:00+09:00"));

        assertThat(DecisionEngine.decide(commit, other, NOW).codes())
                .containsExactly("promotion-missing");
        assertThat(DecisionEngine.decide(commit, same, NOW).isAllowed()).isTrue();
    }

    @Test
    void samePrAcceptsAnyCommitOfThePullRequest() {
        PolicySet pr = policy("pr", "[window]");
        Facts f = facts(Optional.empty(),
                staged("staging", 7, "0ld0ld0", "t", "2026-11-20T09:00:00+09:00"));
        Facts otherPr = facts(Optional.empty(),
                staged("staging", 8, HEAD, "t", "2026-11-20T09:00:00+09:00"));

        assertThat(DecisionEngine.decide(pr, f, NOW).isAllowed()).isTrue();
        assertThat(DecisionEngine.decide(pr, otherPr, NOW).codes())
                .containsExactly("promotion-missing");
    }

    @Test
    void overrideLiftsPromotionOnlyWhenItsLiftsSaySo() {
        Override o = new Override("cto-lee", HEAD, at("2026-11-23T09:45:00+09:00"), "INC-7");
        Facts f = facts(Optional.of("tree111aaaa"));
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), f.reports(), List.of(o), f.locks(), List.of(), f.headTree(),
                f.applies(), f.ownedFiles(), f.freezes());

        Decision lifting = DecisionEngine.decide(TREE, f, NOW);
        Decision windowOnly = DecisionEngine.decide(policy("tree", "[window]"), f, NOW);

        assertThat(lifting.isAllowed()).isTrue();
        assertThat(lifting.codes()).containsExactly("override-active");
        assertThat(lifting.assessment().promotion().get().lifted()).isTrue();
        assertThat(windowOnly.codes()).containsExactly("promotion-missing");
    }
}
