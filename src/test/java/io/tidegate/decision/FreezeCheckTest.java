package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.MONDAY_10;
import static io.tidegate.decision.DecisionEngineTest.POLICY;
import static io.tidegate.decision.DecisionEngineTest.allowed;
import static io.tidegate.decision.DecisionEngineTest.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** On-demand freezes: facts the engine reads, in force from since until until. */
class FreezeCheckTest {
    static final Instant SINCE = at("2026-11-23T08:00:00+09:00");
    static final Instant UNTIL = at("2026-11-23T12:00:00+09:00");

    static Facts frozen(Freeze... freezes) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), f.reports(), f.overrides(), f.locks(), List.of())
                .withFreezes(List.of(freezes));
    }

    static Facts frozenWithOverride(Freeze freeze, Override override) {
        Facts f = allowed();
        return new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), f.reports(), List.of(override), f.locks(), List.of())
                .withFreezes(List.of(freeze));
    }

    static Freeze freeze(String env, Optional<Instant> until, boolean overridable) {
        return new Freeze(env, "lead-park", "INC-42 database migration", SINCE, until,
                overridable);
    }

    @Test
    void denyWhenTheEnvironmentIsFrozenNamingWhoWhyAndUntilWhen() {
        Decision d = DecisionEngine.decide(POLICY,
                frozen(freeze("production", Optional.of(UNTIL), false)), MONDAY_10);

        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.FREEZE_ACTIVE,
                "production is frozen by lead-park until Mon 2026-11-23 12:00 KST: "
                        + "INC-42 database migration",
                Optional.of("wait until Mon 2026-11-23 12:00 KST; or ask someone allowed to "
                        + "freeze production to comment `tidegate unfreeze production`")));
    }

    @Test
    void freezeEndIsATimeEdgeInTheAssessmentAndTheApplyIsAllowedFromThatInstant() {
        Facts facts = frozen(freeze("production", Optional.of(UNTIL), false));

        Decision before = DecisionEngine.decide(POLICY, facts, UNTIL.minusMillis(1));
        Decision atEnd = DecisionEngine.decide(POLICY, facts, UNTIL);

        assertThat(before.assessment().freeze()).contains(new Assessment.FreezeStatus(
                "lead-park", "INC-42 database migration", SINCE, Optional.of(UNTIL),
                Optional.of("Mon 2026-11-23 12:00 KST"), false, false));
        assertThat(before.codes()).containsExactly("freeze-active");
        assertThat(atEnd).isInstanceOf(Decision.Allow.class);
        assertThat(atEnd.assessment().freeze()).isEmpty();
    }

    @Test
    void freezeWithoutAnEndBlocksUntilUnfrozen() {
        Decision d = DecisionEngine.decide(POLICY,
                frozen(freeze("production", Optional.empty(), false)),
                MONDAY_10.plus(Duration.ofDays(300)).plus(Duration.ofHours(72)));

        assertThat(d.reasons()).extracting(Reason::message).contains(
                "production is frozen by lead-park until someone unfreezes it: "
                        + "INC-42 database migration");
    }

    @Test
    void freezeNotYetStartedOrOfAnotherEnvironmentDoesNotBlock() {
        Decision otherEnv = DecisionEngine.decide(POLICY,
                frozen(freeze("develop", Optional.empty(), false)), MONDAY_10);
        Decision notYet = DecisionEngine.decide(POLICY,
                frozen(freeze("production", Optional.of(UNTIL), false)),
                SINCE.minusMillis(1));

        assertThat(otherEnv).isInstanceOf(Decision.Allow.class);
        assertThat(notYet.codes()).doesNotContain("freeze-active");
    }

    @Test
    void overrideLiftsAFreezeThatSaysOverridable() {
        Override o = new Override("cto-lee", DecisionEngineTest.HEAD,
                at("2026-11-23T09:30:00+09:00"), "hotfix INC-43");

        Decision d = DecisionEngine.decide(POLICY,
                frozenWithOverride(freeze("production", Optional.of(UNTIL), true), o), MONDAY_10);

        assertThat(d).isInstanceOf(Decision.Allow.class);
        assertThat(d.reasons()).containsExactly(Reason.of(ReasonCode.OVERRIDE_ACTIVE,
                "the freeze of production by lead-park is lifted by cto-lee's override "
                        + "(hotfix INC-43) until Mon 2026-11-23 11:30 KST"));
        assertThat(d.assessment().freeze().orElseThrow().lifted()).isTrue();
    }

    @Test
    void denyWhenAnOverrideMeetsAFreezeThatIsNotOverridable() {
        Override o = new Override("cto-lee", DecisionEngineTest.HEAD,
                at("2026-11-23T09:30:00+09:00"), "hotfix INC-43");

        Decision d = DecisionEngine.decide(POLICY,
                frozenWithOverride(freeze("production", Optional.of(UNTIL), false), o), MONDAY_10);

        assertThat(d.codes()).containsExactly("freeze-active");
    }

    @Test
    void aPlanIsNotBlockedByAFreeze() {
        Facts f = frozen(freeze("production", Optional.empty(), false)).withCommand(Command.PLAN);

        assertThat(DecisionEngine.decide(POLICY, f, MONDAY_10)).isInstanceOf(Decision.Allow.class);
    }
}
