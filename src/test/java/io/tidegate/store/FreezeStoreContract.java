package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.Freeze;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import org.junit.jupiter.api.Test;

/**
 * The freeze store and the "reported since" read, for every engine ({@link StoreContract}
 * implements it, so SQLite and DynamoDB Local both run these).
 */
interface FreezeStoreContract {
    Instant T = Instant.parse("2026-11-20T09:00:00Z");

    Store contractStore();

    private static Freeze freeze(String env, Optional<Instant> until, String reason) {
        return new Freeze(env, "lead-park", reason, T, until, true);
    }

    @Test
    default void aFreezeIsActiveFromItsStartUntilItsEnd() {
        Freeze f = freeze("production", Optional.of(T.plusSeconds(3600)), "INC-1");
        contractStore().freezes().put(f);

        assertThat(contractStore().freezes().active(T)).containsExactly(f);
        assertThat(contractStore().freezes().active(T.plusSeconds(3599))).containsExactly(f);
        assertThat(contractStore().freezes().active(T.plusSeconds(3600))).isEmpty();
    }

    @Test
    default void freezingAgainReplacesTheEnvironmentsFreezeAndOthersStay() {
        Freeze open = freeze("staging", Optional.empty(), "audit");
        contractStore().freezes().put(open);
        contractStore().freezes().put(freeze("production", Optional.of(T.plusSeconds(60)), "a"));
        Freeze later = freeze("production", Optional.of(T.plusSeconds(7200)), "b");
        contractStore().freezes().put(later);

        assertThat(contractStore().freezes().active(T.plusSeconds(120)))
                .containsExactly(later, open);
    }

    @Test
    default void removeReturnsTheFreezeInForceOnlyOnce() {
        Freeze f = freeze("production", Optional.empty(), "INC-2");
        contractStore().freezes().put(f);

        assertThat(contractStore().freezes().remove("production", T.plusSeconds(1))).contains(f);
        assertThat(contractStore().freezes().remove("production", T.plusSeconds(2))).isEmpty();
        assertThat(contractStore().freezes().active(T.plusSeconds(3))).isEmpty();
    }

    @Test
    default void removingAFreezeThatAlreadyEndedReturnsNothing() {
        contractStore().freezes().put(freeze("production", Optional.of(T.plusSeconds(10)), "x"));

        assertThat(contractStore().freezes().remove("production", T.plusSeconds(11))).isEmpty();
    }

    @Test
    default void reportedSinceListsEachRecentlyPlannedProjectOnce() {
        ProjectRef prod = new ProjectRef("prod-app", "environments/prod", "default");
        ProjectRef dev = new ProjectRef("dev-app", "environments/dev", "default");
        CostReportStore reports = contractStore().costReports();
        reports.put(new CostReport("acme/infra", 41, "old1111", dev, CostChange.UNKNOWN,
                new PlanChange(java.util.Map.of(), java.util.Map.of(), java.util.Map.of()), T.minusSeconds(60)));
        reports.put(new CostReport("acme/infra", 42, "aaa1111", prod, CostChange.UNKNOWN,
                new PlanChange(java.util.Map.of(), java.util.Map.of(), java.util.Map.of()), T));
        reports.put(new CostReport("acme/infra", 42, "bbb2222", prod, CostChange.UNKNOWN,
                new PlanChange(java.util.Map.of(), java.util.Map.of(), java.util.Map.of()), T.plusSeconds(5)));

        assertThat(reports.reportedSince(T)).containsExactly(
                new CostReportStore.Reported("acme/infra", 42, prod));
        assertThat(reports.reportedSince(T.minusSeconds(60))).hasSize(2);
        assertThat(reports.reportedSince(T.plusSeconds(6))).isEqualTo(List.of());
    }
}
