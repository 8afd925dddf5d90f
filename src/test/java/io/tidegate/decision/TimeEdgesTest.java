package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.HEAD;
import static io.tidegate.decision.DecisionEngineTest.POLICY;
import static io.tidegate.decision.DecisionEngineTest.PROD;
import static io.tidegate.decision.DecisionEngineTest.TEAMS;
import static io.tidegate.decision.DecisionEngineTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** When a PR's verdict changes by time alone, for the small seed-shaped policy. */
class TimeEdgesTest {
    static final Instant SUNDAY_21 = at("2026-11-22T21:00:00+09:00");
    static final Instant MONDAY_10 = at("2026-11-23T10:00:00+09:00");

    static Facts facts(List<Override> overrides, List<Lock> locks) {
        return new Facts(Command.APPLY, PROD, new PullRequest("acme/infra", 42, "main", HEAD,
                "dev-kim", false, Set.of(), ""), "", TEAMS, List.of(), List.of(), overrides,
                locks);
    }

    static Optional<TimeEdges.Edge> next(Facts facts, Map<String, Instant> locks, Instant now) {
        return TimeEdges.next(POLICY, List.of("production"), facts, locks, now);
    }

    @Test
    void closedWindowsNextEdgeIsItsOpening() {
        assertThat(next(facts(List.of(), List.of()), Map.of(), SUNDAY_21)).contains(
                new TimeEdges.Edge(at("2026-11-23T09:00:00+09:00"), "production",
                        "production-hours opens"));
    }

    @Test
    void openWindowsNextEdgeIsItsClosing() {
        assertThat(next(facts(List.of(), List.of()), Map.of(), MONDAY_10)).contains(
                new TimeEdges.Edge(at("2026-11-23T17:00:00+09:00"), "production",
                        "production-hours closes"));
    }

    @Test
    void theLastFridayFreezeIsAnEdgeAtItsLocalMidnights() {
        Instant thursdayNight = at("2026-11-26T20:00:00+09:00");
        assertThat(next(facts(List.of(), List.of()), Map.of(), thursdayNight)).contains(
                new TimeEdges.Edge(at("2026-11-27T00:00:00+09:00"), "production",
                        "production-hours freeze starts: Maintenance day"));
        assertThat(next(facts(List.of(), List.of()), Map.of(),
                at("2026-11-27T12:00:00+09:00"))).contains(new TimeEdges.Edge(
                        at("2026-11-28T00:00:00+09:00"), "production",
                        "production-hours freeze ends: Maintenance day"));
    }

    @Test
    void anOverrideOnTheHeadCommitByARoleOfByExpiresBeforeTheWindowOpens() {
        Override o = new Override("lead-park", HEAD, SUNDAY_21, "hotfix");
        assertThat(next(facts(List.of(o), List.of()), Map.of(), SUNDAY_21.plusSeconds(60)))
                .contains(new TimeEdges.Edge(SUNDAY_21.plusSeconds(7200), "production",
                        "lead-park's override expires"));
    }

    @Test
    void overridesOnAnotherCommitOrByNobodyInByAreNoEdges() {
        List<Override> none = List.of(new Override("lead-park", "0ldc0mm1t", SUNDAY_21, "x"),
                new Override("dev-kim", HEAD, SUNDAY_21, "x"));
        assertThat(next(facts(none, List.of()), Map.of(), SUNDAY_21.plusSeconds(60)))
                .map(TimeEdges.Edge::why).contains("production-hours opens");
    }

    @Test
    void anotherPullRequestsLockIsAnEdgeWhenItsTtlRunsOut() {
        Instant expires = MONDAY_10.plusSeconds(900);
        Facts f = facts(List.of(), List.of(new Lock("production", "acme/infra#41")));
        assertThat(next(f, Map.of("production", expires), MONDAY_10)).contains(
                new TimeEdges.Edge(expires, "production", "the lock of acme/infra#41 expires"));
    }

    @Test
    void thePullRequestsOwnLockIsNoEdge() {
        Facts f = facts(List.of(), List.of(new Lock("production", "acme/infra#42")));
        assertThat(next(f, Map.of("production", MONDAY_10.plusSeconds(900)), MONDAY_10))
                .map(TimeEdges.Edge::why).contains("production-hours closes");
    }

    @Test
    void environmentsWithoutWindowLockOrApplyHaveNoEdge() {
        assertThat(TimeEdges.next(POLICY, List.of("develop", "nowhere"),
                facts(List.of(), List.of()), Map.of(), MONDAY_10)).isEmpty();
    }

    @Test
    void aPromotionSoakingIsAnEdgeWhenItsSoakEnds() {
        // Staging applied the tree at 09:30; production soaks 1h, so 10:30 — before the
        // window's 17:00 closing and the only edge of the always-open prod-hours before then.
        Facts f = PromotionCheckTest.facts(Optional.of("tree111aaaa"),
                PromotionCheckTest.staged("staging", 6, "merge999", "tree111aaaa",
                        "2026-11-23T09:30:00+09:00"));
        Decision soaking = DecisionEngine.decide(PromotionCheckTest.TREE, f, MONDAY_10);

        assertThat(TimeEdges.next(PromotionCheckTest.TREE, List.of("production"), f, Map.of(),
                List.of(soaking), MONDAY_10)).contains(new TimeEdges.Edge(
                        at("2026-11-23T10:30:00+09:00"), "production",
                        "the promotion soak after staging ends"));
    }

    @Test
    void aPromotionWithNoEarlierApplyOrASoakOverIsNoEdge() {
        Facts never = PromotionCheckTest.facts(Optional.of("tree111aaaa"));
        Facts soaked = PromotionCheckTest.facts(Optional.of("tree111aaaa"),
                PromotionCheckTest.staged("staging", 6, "merge999", "tree111aaaa",
                        "2026-11-23T08:00:00+09:00"));
        for (Facts f : List.of(never, soaked)) {
            Decision d = DecisionEngine.decide(PromotionCheckTest.TREE, f, MONDAY_10);
            assertThat(TimeEdges.promotionEdge(d, MONDAY_10)).isEmpty();
        }
    }

    @Test
    void anOnDemandFreezeWithAnEndIsAnEdgeWhenItRunsOut() {
        Instant until = at("2026-11-23T12:00:00+09:00");
        Facts frozen = facts(List.of(), List.of()).withFreezes(List.of(new Freeze("production",
                "lead-park", "INC-42", at("2026-11-23T08:00:00+09:00"), Optional.of(until),
                false)));

        assertThat(next(frozen, Map.of(), MONDAY_10)).contains(new TimeEdges.Edge(until,
                "production", "the freeze by lead-park ends"));
    }

    @Test
    void anOnDemandFreezeWithoutAnEndOrOfAnotherEnvironmentIsNoEdge() {
        Facts open = facts(List.of(), List.of()).withFreezes(List.of(
                new Freeze("production", "lead-park", "INC-42", at("2026-11-23T08:00:00+09:00"),
                        Optional.empty(), false),
                new Freeze("staging", "lead-park", "INC-43", at("2026-11-23T08:00:00+09:00"),
                        Optional.of(at("2026-11-23T11:00:00+09:00")), false)));

        assertThat(TimeEdges.freezeEdges(open, "production", MONDAY_10)).isEmpty();
    }
}
