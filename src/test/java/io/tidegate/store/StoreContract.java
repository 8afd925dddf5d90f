package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one contract every {@link Store} engine passes. Subclasses say how to open a fresh,
 * empty store; every test here runs unchanged against each engine.
 */
abstract class StoreContract implements FreezeStoreContract {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(5);

    Store store;

    /** A new, empty store (its own tables or file). */
    abstract Store openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Override
    public Store contractStore() {
        return store;
    }

    static Instant t(long seconds) {
        return T0.plusSeconds(seconds);
    }

    static InboxEvent event(String id, String key) {
        return new InboxEvent(id, key, "issue_comment", "{\"id\":\"" + id + "\"}", T0);
    }

    // --- review schedule ---

    static ScheduledReview scheduled(int pr, Optional<Instant> due) {
        return new ScheduledReview("acme/infra", pr, "abc123", due, "production",
                "production-hours opens", java.util.Set.of("production", "staging"),
                java.util.Set.of("production"), T0);
    }

    @Test
    void scheduleKeepsOneEntryPerPullRequestWithItsFacts() {
        store.schedule().save(scheduled(42, Optional.of(t(60))), "{\"v\":1}");
        store.schedule().save(scheduled(42, Optional.of(t(120))), "{\"v\":2}");
        assertThat(store.schedule().get("acme/infra", 42)).contains(
                scheduled(42, Optional.of(t(120))));
        assertThat(store.schedule().facts("acme/infra", 42)).contains("{\"v\":2}");
        assertThat(store.schedule().all()).hasSize(1);
        store.schedule().remove("acme/infra", 42);
        assertThat(store.schedule().get("acme/infra", 42)).isEmpty();
        assertThat(store.schedule().facts("acme/infra", 42)).isEmpty();
    }

    @Test
    void scheduleAnswersTheDueEntriesEarliestFirstAndTheNextDueInstant() {
        store.schedule().save(scheduled(41, Optional.of(t(300))), "{}");
        store.schedule().save(scheduled(42, Optional.of(t(60))), "{}");
        store.schedule().save(scheduled(43, Optional.empty()), "{}");
        store.schedule().save(scheduled(44, Optional.of(t(120))), "{}");
        assertThat(store.schedule().nextDue()).contains(t(60));
        assertThat(store.schedule().due(t(200), 10)).extracting(ScheduledReview::number)
                .containsExactly(42, 44);
        assertThat(store.schedule().due(t(200), 1)).extracting(ScheduledReview::number)
                .containsExactly(42);
        assertThat(store.schedule().all()).extracting(ScheduledReview::number)
                .containsExactly(42, 44, 41, 43);
    }

    @Test
    void clearingADueInstantSucceedsOnlyForTheInstantSeen() {
        store.schedule().save(scheduled(42, Optional.of(t(60))), "{}");
        assertThat(store.schedule().clearDue("acme/infra", 42, t(59))).isFalse();
        assertThat(store.schedule().clearDue("acme/infra", 42, t(60))).isTrue();
        assertThat(store.schedule().clearDue("acme/infra", 42, t(60))).isFalse();
        assertThat(store.schedule().get("acme/infra", 42).orElseThrow().dueAt()).isEmpty();
        assertThat(store.schedule().nextDue()).isEmpty();
        assertThat(store.schedule().due(t(600), 10)).isEmpty();
    }

    @Test
    void aRenewedInboxLeaseIsNotTakenOverUntilItRunsOut() {
        store.inbox().add(event("e1", "repo#1"), false);
        InboxClaim claim = store.inbox().claim("w1", t(0), Duration.ofSeconds(20)).orElseThrow();
        assertThat(store.inbox().renew(claim, t(40))).isTrue();
        assertThat(store.inbox().claim("w2", t(30), Duration.ofSeconds(20))).isEmpty();
        InboxClaim taken = store.inbox().claim("w2", t(40), Duration.ofSeconds(20))
                .orElseThrow();
        assertThat(taken.attempt()).isEqualTo(2);
        // the first worker's claim is stale now: it can neither renew nor finish
        assertThat(store.inbox().renew(claim, t(80))).isFalse();
        assertThat(store.inbox().markProcessed(claim, t(41))).isFalse();
    }

    @Test
    void aRenewedOutboxLeaseKeepsTheEffectFromOtherDispatchers() {
        store.outbox().enqueue(new Effect("k1", "notify.slack", "{}"), t(0));
        OutboxClaim claim = store.outbox().claimDue("d1", t(0), Duration.ofSeconds(20), 1)
                .get(0);
        assertThat(store.outbox().renew(claim, t(40))).isTrue();
        assertThat(store.outbox().claimDue("d2", t(30), Duration.ofSeconds(20), 1)).isEmpty();
        assertThat(store.outbox().markDone(claim, t(31))).isTrue();
        assertThat(store.outbox().renew(claim, t(60))).isFalse();
    }

    @Test
    void aRestartedWorkerTakesBackOnlyItsOwnLiveInboxLeases() {
        store.inbox().add(event("e1", "repo#1"), false);
        store.inbox().add(event("e2", "repo#2"), false);
        store.inbox().add(event("e3", "repo#3"), false);
        store.inbox().claim("w1", t(0), Duration.ofSeconds(20)).orElseThrow();
        store.inbox().claim("w2", t(0), Duration.ofSeconds(20)).orElseThrow();
        InboxClaim done = store.inbox().claim("w1", t(0), Duration.ofSeconds(20)).orElseThrow();
        assertThat(store.inbox().markProcessed(done, t(1))).isTrue();

        assertThat(store.inbox().releaseHeldBy("w1", t(5))).isEqualTo(1);
        // e1 is claimable at once (its killed attempt stays counted); w2's e2 stays leased
        InboxClaim again = store.inbox().claim("w1", t(5), Duration.ofSeconds(20))
                .orElseThrow();
        assertThat(again.event().id()).isEqualTo("e1");
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(store.inbox().claim("w3", t(5), Duration.ofSeconds(20))).isEmpty();
        assertThat(store.inbox().releaseHeldBy("w2", t(25))).isZero(); // lease already over
    }

    @Test
    void aRestartedDispatcherTakesBackOnlyItsOwnLiveOutboxLeases() {
        store.outbox().enqueue(new Effect("k1", "notify.slack", "{}"), t(0));
        store.outbox().enqueue(new Effect("k2", "notify.slack", "{}"), t(0));
        store.outbox().claimDue("d1", t(0), Duration.ofSeconds(20), 1);
        store.outbox().claimDue("d2", t(0), Duration.ofSeconds(20), 1);

        assertThat(store.outbox().releaseHeldBy("d1", t(5))).isEqualTo(1);
        List<OutboxClaim> due = store.outbox().claimDue("d1", t(5), Duration.ofSeconds(20), 5);
        assertThat(due).singleElement().satisfies(c -> assertThat(c.attempt()).isEqualTo(2));
        assertThat(store.outbox().releaseHeldBy("d3", t(5))).isZero();
    }

    // --- deliveries ---

    @Test
    void deliveryIdIsNewOnlyTheFirstTime() {
        assertThat(store.deliveries().markSeen("d-1", T0)).isTrue();
        assertThat(store.deliveries().markSeen("d-1", t(60))).isFalse();
        assertThat(store.deliveries().markSeen("d-2", t(60))).isTrue();
    }

    @Test
    void deliveryIdIsForgottenAfterSevenDays() {
        store.deliveries().markSeen("d-1", T0);
        assertThat(store.deliveries().markSeen("d-1", T0.plus(Duration.ofDays(7)).minusMillis(1)))
                .isFalse();
        assertThat(store.deliveries().markSeen("d-1", T0.plus(Duration.ofDays(7)))).isTrue();
    }

    // --- inbox ---

    @Test
    void inboxClaimsEventsInTheOrderTheyWereAdded() {
        for (int i = 1; i <= 12; i++) {
            store.inbox().add(event("e" + i, "repo#" + i), false);
        }
        List<String> claimed = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            claimed.add(store.inbox().claim("w", t(1), LEASE).orElseThrow().event().id());
        }
        assertThat(claimed).containsExactly("e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8",
                "e9", "e10", "e11", "e12");
        assertThat(store.inbox().claim("w", t(1), LEASE)).isEmpty();
    }

    @Test
    void inboxClaimCarriesTheWholeEventAndItsLease() {
        InboxEvent e = event("e1", "o/r#1");
        store.inbox().add(e, false);
        InboxClaim claim = store.inbox().claim("worker-a", t(1), LEASE).orElseThrow();
        assertThat(claim).isEqualTo(new InboxClaim(e, "worker-a", 1, t(1).plus(LEASE)));
    }

    @Test
    void duplicateInboxEventIdIsIgnored() {
        assertThat(store.inbox().add(event("e1", "k"), false)).isTrue();
        assertThat(store.inbox().add(event("e1", "other"), false)).isFalse();
        assertThat(store.inbox().countPending()).isEqualTo(1);
    }

    @Test
    void acceptedDeliveryIsQueuedAndMarkedSeenOnce() {
        assertThat(store.acceptDelivery(event("d-1", "k"), false)).isTrue();
        assertThat(store.acceptDelivery(event("d-1", "k"), false)).isFalse();
        assertThat(store.inbox().status("d-1").orElseThrow().state())
                .isEqualTo(InboxState.PENDING);
        assertThat(store.inbox().countPending()).isEqualTo(1);
        // The delivery id is recorded with the event: a later sighting is not the first.
        assertThat(store.deliveries().markSeen("d-1", t(60))).isFalse();
    }

    @Test
    void acceptedDeliverySupersedesQueuedEventsOfItsKey() {
        store.acceptDelivery(event("d-1", "pr"), true);
        assertThat(store.acceptDelivery(event("d-2", "pr"), true)).isTrue();
        assertThat(store.inbox().status("d-1").orElseThrow().state())
                .isEqualTo(InboxState.SUPERSEDED);
        assertThat(store.inbox().claim("w", T0, LEASE).orElseThrow().event().id())
                .isEqualTo("d-2");
    }

    @Test
    void deliveryAlreadySeenButNotInTheInboxIsStillQueued() {
        // The inbox forgot it (retention) while the delivery id was kept: the add stands.
        store.deliveries().markSeen("d-1", T0);
        assertThat(store.acceptDelivery(event("d-1", "k"), false)).isTrue();
        assertThat(store.inbox().countPending()).isEqualTo(1);
    }

    @Test
    void leasedEventIsNotClaimedAgainUntilTheLeaseExpires() {
        store.inbox().add(event("e1", "k"), false);
        InboxClaim first = store.inbox().claim("a", t(0), LEASE).orElseThrow();
        assertThat(store.inbox().claim("b", t(299), LEASE)).isEmpty();
        InboxClaim second = store.inbox().claim("b", t(300), LEASE).orElseThrow();
        assertThat(second.event()).isEqualTo(first.event());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.worker()).isEqualTo("b");
    }

    @Test
    void staleClaimCannotFinishAnEventTakenOverByAnotherWorker() {
        store.inbox().add(event("e1", "k"), false);
        InboxClaim stale = store.inbox().claim("a", t(0), LEASE).orElseThrow();
        InboxClaim fresh = store.inbox().claim("b", t(400), LEASE).orElseThrow();
        assertThat(store.inbox().markProcessed(stale, t(401))).isFalse();
        assertThat(store.inbox().retryLater(stale, "x", t(402))).isFalse();
        assertThat(store.inbox().markProcessed(fresh, t(401))).isTrue();
        assertThat(store.inbox().status("e1")).contains(
                new InboxStatus("e1", InboxState.PROCESSED, 2, Optional.empty()));
    }

    @Test
    void eventsOfOneKeyAreClaimedOneAtATimeInOrder() {
        store.inbox().add(event("a1", "pr-1"), false);
        store.inbox().add(event("a2", "pr-1"), false);
        store.inbox().add(event("b1", "pr-2"), false);
        InboxClaim a1 = store.inbox().claim("w", t(1), LEASE).orElseThrow();
        // a2 waits for a1, so the next claim skips to the other pull request
        InboxClaim b1 = store.inbox().claim("w", t(1), LEASE).orElseThrow();
        assertThat(List.of(a1.event().id(), b1.event().id())).containsExactly("a1", "b1");
        assertThat(store.inbox().claim("w", t(1), LEASE)).isEmpty();
        store.inbox().markProcessed(a1, t(2));
        assertThat(store.inbox().claim("w", t(3), LEASE).orElseThrow().event().id())
                .isEqualTo("a2");
    }

    @Test
    void newerEventSupersedesQueuedOlderEventsOfItsKeyButNotALeasedOne() {
        store.inbox().add(event("a1", "pr-1"), false);
        InboxClaim a1 = store.inbox().claim("w", t(1), LEASE).orElseThrow();
        store.inbox().add(event("a2", "pr-1"), false);
        store.inbox().add(event("a3", "pr-1"), false);
        store.inbox().add(event("b1", "pr-2"), false);
        store.inbox().add(new InboxEvent("a4", "pr-1", "push", "{}", t(2)), true);

        assertThat(store.inbox().status("a1").orElseThrow().state()).isEqualTo(InboxState.PENDING);
        assertThat(store.inbox().status("a2").orElseThrow().state())
                .isEqualTo(InboxState.SUPERSEDED);
        assertThat(store.inbox().status("a3").orElseThrow().state())
                .isEqualTo(InboxState.SUPERSEDED);
        assertThat(store.inbox().status("b1").orElseThrow().state()).isEqualTo(InboxState.PENDING);
        store.inbox().markProcessed(a1, t(3));
        assertThat(store.inbox().claim("w", t(4), LEASE).orElseThrow().event().id())
                .isEqualTo("b1");
        assertThat(store.inbox().claim("w", t(4), LEASE).orElseThrow().event().id())
                .isEqualTo("a4");
    }

    @Test
    void retriedEventWaitsUntilItsRetryTimeAndKeepsTheError() {
        store.inbox().add(event("e1", "k"), false);
        InboxClaim c = store.inbox().claim("w", t(0), LEASE).orElseThrow();
        assertThat(store.inbox().retryLater(c, "GitHub said 502", t(30))).isTrue();
        assertThat(store.inbox().claim("w", t(29), LEASE)).isEmpty();
        assertThat(store.inbox().claim("w", t(30), LEASE).orElseThrow().attempt()).isEqualTo(2);
        assertThat(store.inbox().status("e1")).contains(new InboxStatus("e1", InboxState.PENDING,
                2, Optional.of("GitHub said 502")));
    }

    @Test
    void failedEventKeepsItsErrorAndNoLongerBlocksItsKey() {
        store.inbox().add(event("e1", "k"), false);
        store.inbox().add(event("e2", "k"), false);
        InboxClaim c = store.inbox().claim("w", t(0), LEASE).orElseThrow();
        assertThat(store.inbox().markFailed(c, "payload unreadable", t(1))).isTrue();
        assertThat(store.inbox().status("e1")).contains(new InboxStatus("e1", InboxState.FAILED,
                1, Optional.of("payload unreadable")));
        assertThat(store.inbox().claim("w", t(2), LEASE).orElseThrow().event().id())
                .isEqualTo("e2");
        assertThat(store.inbox().countPending()).isEqualTo(1);
    }

    @Test
    void unknownInboxEventHasNoStatus() {
        assertThat(store.inbox().status("nope")).isEmpty();
    }

    // --- outbox ---

    static Effect effect(String key) {
        return new Effect(key, "github.comment", "{\"body\":\"hi\"}");
    }

    @Test
    void outboxEnqueueIsIdempotentByKey() {
        assertThat(store.outbox().enqueue(effect("k1"), T0)).isTrue();
        assertThat(store.outbox().enqueue(new Effect("k1", "slack", "{}"), t(5))).isFalse();
        assertThat(store.outbox().get("k1")).contains(new OutboxEntry(effect("k1"),
                OutboxState.PENDING, 0, T0, T0, Optional.empty()));
    }

    @Test
    void claimingAnEffectLeasesItAndPushesItsNextAttempt() {
        store.outbox().enqueue(effect("k1"), T0);
        store.outbox().enqueue(effect("k2"), t(1));
        store.outbox().enqueue(effect("later"), t(100));
        List<OutboxClaim> claims = store.outbox().claimDue("w", t(10), LEASE, 10);
        assertThat(claims).containsExactly(
                new OutboxClaim(effect("k1"), "w", 1, t(10).plus(LEASE)),
                new OutboxClaim(effect("k2"), "w", 1, t(10).plus(LEASE)));
        assertThat(store.outbox().claimDue("other", t(11), LEASE, 10)).isEmpty();
        assertThat(store.outbox().get("k1").orElseThrow().nextAttemptAt())
                .isEqualTo(t(10).plus(LEASE));
    }

    @Test
    void outboxDepthCountsEffectsUntilTheyAreDoneOrGivenUp() {
        assertThat(store.outbox().countPending()).isZero();
        for (int i = 0; i < 4; i++) {
            store.outbox().enqueue(effect("k" + i), t(i));
        }
        store.outbox().enqueue(effect("k0"), t(5)); // a duplicate adds nothing
        List<OutboxClaim> claims = store.outbox().claimDue("w", t(10), LEASE, 3);
        assertThat(store.outbox().countPending()).as("leased effects are still pending")
                .isEqualTo(4);
        store.outbox().markDone(claims.get(0), t(11));
        store.outbox().giveUp(claims.get(1), "HTTP 404", t(11));
        store.outbox().retryAt(claims.get(2), "HTTP 503", t(60));
        assertThat(store.outbox().countPending()).isEqualTo(2);
    }

    @Test
    void claimDueTakesAtMostTheAskedNumber() {
        for (int i = 0; i < 5; i++) {
            store.outbox().enqueue(effect("k" + i), t(i));
        }
        assertThat(store.outbox().claimDue("w", t(10), LEASE, 2)).extracting(
                c -> c.effect().idempotencyKey()).containsExactly("k0", "k1");
    }

    @Test
    void effectWhoseDispatcherDiedIsClaimedAgainAfterTheLease() {
        store.outbox().enqueue(effect("k1"), T0);
        OutboxClaim stale = store.outbox().claimDue("a", T0, LEASE, 1).get(0);
        OutboxClaim again = store.outbox().claimDue("b", T0.plus(LEASE), LEASE, 1).get(0);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(store.outbox().markDone(stale, t(400))).isFalse();
        assertThat(store.outbox().markDone(again, t(400))).isTrue();
        assertThat(store.outbox().get("k1").orElseThrow().state()).isEqualTo(OutboxState.DONE);
    }

    @Test
    void retriedEffectKeepsItsErrorAndWaitsForItsNextAttempt() {
        store.outbox().enqueue(effect("k1"), T0);
        OutboxClaim c = store.outbox().claimDue("w", T0, LEASE, 1).get(0);
        assertThat(store.outbox().retryAt(c, "HTTP 503", t(60))).isTrue();
        assertThat(store.outbox().get("k1")).contains(new OutboxEntry(effect("k1"),
                OutboxState.PENDING, 1, T0, t(60), Optional.of("HTTP 503")));
        assertThat(store.outbox().claimDue("w", t(59), LEASE, 1)).isEmpty();
        assertThat(store.outbox().claimDue("w", t(60), LEASE, 1)).hasSize(1);
    }

    @Test
    void givenUpEffectKeepsTheErrorAndIsNeverClaimedAgain() {
        store.outbox().enqueue(effect("k1"), T0);
        OutboxClaim c = store.outbox().claimDue("w", T0, LEASE, 1).get(0);
        assertThat(store.outbox().giveUp(c, "HTTP 404 no such PR", t(1))).isTrue();
        OutboxEntry entry = store.outbox().get("k1").orElseThrow();
        assertThat(entry.state()).isEqualTo(OutboxState.GAVE_UP);
        assertThat(entry.lastError()).contains("HTTP 404 no such PR");
        assertThat(store.outbox().claimDue("w", t(10_000), LEASE, 1)).isEmpty();
    }

    @Test
    void unknownEffectIsEmpty() {
        assertThat(store.outbox().get("nope")).isEmpty();
    }

    // --- audit ---

    static AuditRecord audit(Instant time, int pr, String decision) {
        return new AuditRecord(time, "acme/infra", pr, "abc123", "network", "production",
                "apply", "alice", decision, List.of("window.closed", "approvals.missing"),
                "sha256:42", "{\"actor\":\"alice\"}");
    }

    @Test
    void auditRecordsReadBackWholeAndNewestFirst() {
        AuditRecord first = audit(t(1), 7, "deny");
        AuditRecord second = audit(t(2), 7, "allow");
        AuditRecord other = audit(t(3), 8, "deny");
        store.audit().append(first);
        store.audit().append(second);
        store.audit().append(other);
        assertThat(store.audit().forPullRequest("acme/infra", 7, 10))
                .containsExactly(second, first);
        assertThat(store.audit().forRepository("acme/infra", 10))
                .containsExactly(other, second, first);
        assertThat(store.audit().forRepository("acme/infra", 1)).containsExactly(other);
        assertThat(store.audit().forRepository("acme/other", 10)).isEmpty();
    }

    @Test
    void identicalAuditRecordsAreBothKept() {
        store.audit().append(audit(t(1), 7, "deny"));
        store.audit().append(audit(t(1), 7, "deny"));
        assertThat(store.audit().forPullRequest("acme/infra", 7, 10)).hasSize(2);
    }

    // --- cost reports ---

    static CostReport report(String sha, ProjectRef project, CostChange cost, Instant at) {
        PlanChange plan = new PlanChange(Map.of("aws_instance", 2, "aws_lb", 1),
                Map.of("aws_s3_bucket", 1), Map.of());
        return new CostReport("acme/infra", 7, sha, project, cost, plan, at);
    }

    @Test
    void costReportsReadBackWholeWithUnknownCostsStillUnknown() {
        ProjectRef net = new ProjectRef("network", "net", "default");
        ProjectRef unnamed = new ProjectRef("", "app", "staging");
        CostReport known = report("abc", net, new CostChange(
                Optional.of(new BigDecimal("12.50")), Optional.of(new BigDecimal("1000.125"))), T0);
        CostReport unknown = report("abc", unnamed, CostChange.UNKNOWN, T0);
        store.costReports().put(known);
        store.costReports().put(unknown);
        store.costReports().put(report("def", net, CostChange.UNKNOWN, T0));
        assertThat(store.costReports().forCommit("acme/infra", 7, "abc"))
                .containsExactly(unknown, known);
    }

    @Test
    void costReportsKeepTheCurrencyInfracostPricedThemIn() {
        ProjectRef net = new ProjectRef("network", "net", "default");
        ProjectRef app = new ProjectRef("", "app", "staging");
        CostReport usd = report("abc", net, new CostChange(Optional.of(new BigDecimal("1.50")),
                Optional.of(new BigDecimal("3.00")), Optional.of("USD")), T0);
        CostReport eur = report("abc", app, CostChange.otherCurrency("EUR"), T0);
        store.costReports().put(usd);
        store.costReports().put(eur);
        assertThat(store.costReports().forCommit("acme/infra", 7, "abc"))
                .containsExactly(eur, usd);
        assertThat(store.costReports().historyForCommit("acme/infra", 7, "abc"))
                .containsExactlyInAnyOrder(eur, usd);
    }

    @Test
    void newCostReportForTheSameProjectAndCommitReplacesTheOld() {
        ProjectRef net = new ProjectRef("network", "net", "default");
        store.costReports().put(report("abc", net, CostChange.UNKNOWN, T0));
        CostReport later = report("abc", net,
                new CostChange(Optional.of(new BigDecimal("-3")), Optional.empty()), t(60));
        store.costReports().put(later);
        assertThat(store.costReports().forCommit("acme/infra", 7, "abc")).containsExactly(later);
    }

    @Test
    void historyKeepsEveryReportOfTheCommitOldestFirst() {
        ProjectRef net = new ProjectRef("network", "net", "default");
        ProjectRef app = new ProjectRef("app", "app", "default");
        CostReport first = report("abc", net,
                new CostChange(Optional.of(new BigDecimal("40.00")), Optional.empty()), T0);
        CostReport other = report("abc", app, CostChange.UNKNOWN, t(30));
        CostReport replan = report("abc", net,
                new CostChange(Optional.of(new BigDecimal("45.50")), Optional.empty()), t(60));
        store.costReports().put(first);
        store.costReports().put(other);
        store.costReports().put(replan);
        store.costReports().put(report("def", net, CostChange.UNKNOWN, T0));
        assertThat(store.costReports().historyForCommit("acme/infra", 7, "abc"))
                .containsExactly(first, other, replan);
        assertThat(store.costReports().forCommit("acme/infra", 7, "abc"))
                .containsExactly(other, replan);
    }

    // --- overrides ---

    @Test
    void overridesReadBackPerPullRequestOldestFirst() {
        OverrideRecord o1 = new OverrideRecord("acme/infra", 7, "production",
                new io.tidegate.decision.Override("cto", "abc", t(10), "hotfix for outage"),
                t(10).plus(Duration.ofHours(4)));
        OverrideRecord o2 = new OverrideRecord("acme/infra", 7, "staging",
                new io.tidegate.decision.Override("lead", "def", t(20), "freeze exception"),
                t(20).plus(Duration.ofHours(1)));
        OverrideRecord elsewhere = new OverrideRecord("acme/infra", 8, "production",
                new io.tidegate.decision.Override("cto", "abc", t(5), "x"), t(100));
        store.overrides().add(o2);
        store.overrides().add(o1);
        store.overrides().add(elsewhere);
        assertThat(store.overrides().forPullRequest("acme/infra", 7)).containsExactly(o1, o2);
        assertThat(store.overrides().forPullRequest("acme/infra", 9)).isEmpty();
    }

    // --- locks ---

    @Test
    void freeLockIsAcquiredWithTheDefaultThirtyMinuteTtl() {
        LockResult r = store.locks().acquire("production", "acme/infra#7", T0,
                LockStore.DEFAULT_TTL);
        assertThat(r).isEqualTo(new LockResult.Acquired(new HeldLock("production",
                "acme/infra#7", T0, T0.plus(Duration.ofMinutes(30)))));
        assertThat(store.locks().current("production", t(1))).contains(r.lock());
        assertThat(r.lock().toDecisionLock())
                .isEqualTo(new io.tidegate.decision.Lock("production", "acme/infra#7"));
    }

    @Test
    void heldLockIsBusyForAnotherOwnerAndNamesTheHolder() {
        store.locks().acquire("production", "acme/infra#7", T0, LockStore.DEFAULT_TTL);
        LockResult r = store.locks().acquire("production", "acme/infra#8", t(60),
                LockStore.DEFAULT_TTL);
        assertThat(r).isEqualTo(new LockResult.Busy(new HeldLock("production", "acme/infra#7",
                T0, T0.plus(Duration.ofMinutes(30)))));
    }

    @Test
    void reacquiringOwnLockExtendsItAndKeepsItsStart() {
        store.locks().acquire("production", "pr7", T0, LockStore.DEFAULT_TTL);
        LockResult r = store.locks().acquire("production", "pr7", t(600), LockStore.DEFAULT_TTL);
        assertThat(r).isEqualTo(new LockResult.Acquired(new HeldLock("production", "pr7", T0,
                t(600).plus(Duration.ofMinutes(30)))));
    }

    @Test
    void expiredLockIsTakenOverByAnotherOwner() {
        store.locks().acquire("production", "pr7", T0, Duration.ofMinutes(30));
        Instant expiry = T0.plus(Duration.ofMinutes(30));
        assertThat(store.locks().current("production", expiry)).isEmpty();
        LockResult r = store.locks().acquire("production", "pr8", expiry, Duration.ofMinutes(30));
        assertThat(r).isEqualTo(new LockResult.Acquired(new HeldLock("production", "pr8",
                expiry, expiry.plus(Duration.ofMinutes(30)))));
    }

    @Test
    void onlyTheOwnerReleasesALock() {
        store.locks().acquire("production", "pr7", T0, LockStore.DEFAULT_TTL);
        assertThat(store.locks().release("production", "pr8")).isFalse();
        assertThat(store.locks().current("production", t(1))).isPresent();
        assertThat(store.locks().release("production", "pr7")).isTrue();
        assertThat(store.locks().current("production", t(1))).isEmpty();
        assertThat(store.locks().acquire("production", "pr8", t(2), LockStore.DEFAULT_TTL))
                .isInstanceOf(LockResult.Acquired.class);
    }

    @Test
    void heldListsOnlyUnexpiredLocksByEnvironment() {
        store.locks().acquire("staging", "pr1", T0, Duration.ofMinutes(10));
        store.locks().acquire("production", "pr2", T0, Duration.ofMinutes(30));
        store.locks().acquire("develop", "pr3", T0, Duration.ofMinutes(1));
        assertThat(store.locks().held(t(120))).extracting(HeldLock::environment)
                .containsExactly("production", "staging");
    }

    // --- deployments ---

    static Deployment deployment(String id, String env, String repo, Instant start) {
        return new Deployment(id, repo, 7, "abc123", "network", env, "alice", start,
                Optional.empty(), DeploymentStatus.RUNNING);
    }

    @Test
    void deploymentIsSavedRunningThenFinished() {
        Deployment running = deployment("d1", "production", "acme/infra", T0);
        store.deployments().save(running);
        assertThat(store.deployments().get("d1")).contains(running);
        Deployment done = running.finish(t(180), true);
        store.deployments().save(done);
        assertThat(store.deployments().get("d1")).contains(done);
        assertThat(done.duration()).contains(Duration.ofMinutes(3));
        assertThat(store.deployments().get("d2")).isEmpty();
    }

    @Test
    void aDeploymentKeepsItsCommitsTreeThroughItsEndForPromotion() {
        Deployment running = new Deployment("d-tree", "acme/infra", 7, "abc123", "network",
                "staging", "alice", T0, Optional.empty(), DeploymentStatus.RUNNING,
                Optional.of("4b825dc642cb6eb9a060e54bf8d69288fbee4904"));
        store.deployments().save(running);
        assertThat(store.deployments().get("d-tree")).contains(running);
        assertThat(store.deployments().saveIfRunning(running.finish(t(60), true))).isTrue();
        assertThat(store.deployments().get("d-tree").orElseThrow().treeSha())
                .contains("4b825dc642cb6eb9a060e54bf8d69288fbee4904");
        // Recorded without a tree (before trees were kept): none, never a guess.
        store.deployments().save(deployment("d-old", "staging", "acme/infra", T0));
        assertThat(store.deployments().get("d-old").orElseThrow().treeSha()).isEmpty();
    }

    @Test
    void deploymentsArePagedNewestFirstWithFilters() {
        for (int i = 0; i < 7; i++) {
            store.deployments().save(deployment("p" + i, "production", "acme/infra", t(i * 10)));
        }
        store.deployments().save(deployment("s0", "staging", "acme/infra", t(15)));
        store.deployments().save(deployment("x0", "production", "acme/other", t(25)));
        // same start: newest-first order falls back to the id, descending
        store.deployments().save(deployment("p7", "production", "acme/infra", t(60)));

        DeploymentQuery first = new DeploymentQuery(Optional.of("production"),
                Optional.of("acme/infra"), 3, Optional.empty());
        List<String> seen = new ArrayList<>();
        Optional<String> cursor = Optional.empty();
        int pages = 0;
        do {
            DeploymentPage page = store.deployments().list(new DeploymentQuery(
                    first.environment(), first.repo(), 3, cursor));
            page.items().forEach(d -> seen.add(d.id()));
            cursor = page.nextCursor();
            pages++;
        } while (cursor.isPresent());
        assertThat(seen).containsExactly("p7", "p6", "p5", "p4", "p3", "p2", "p1", "p0");
        assertThat(pages).isEqualTo(3);

        DeploymentPage all = store.deployments().list(new DeploymentQuery(Optional.empty(),
                Optional.empty(), 4, Optional.empty()));
        assertThat(all.items()).extracting(Deployment::id)
                .containsExactly("p7", "p6", "p5", "p4");
    }

    @Test
    void lastDeploymentPageHasNoCursor() {
        store.deployments().save(deployment("d1", "production", "acme/infra", T0));
        DeploymentPage page = store.deployments().list(new DeploymentQuery(Optional.empty(),
                Optional.empty(), 1, Optional.empty()));
        assertThat(page).isEqualTo(new DeploymentPage(
                List.of(deployment("d1", "production", "acme/infra", T0)), Optional.empty()));
    }

    @Test
    void malformedDeploymentCursorIsRejected() {
        assertThatThrownBy(() -> store.deployments().list(new DeploymentQuery(Optional.empty(),
                Optional.empty(), 5, Optional.of("not-a-cursor"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor is malformed");
    }

    @Test
    void runningDeploymentIsEndedUnknownOnlyWhileStillRunning() {
        Deployment running = deployment("d1", "production", "acme/infra", T0);
        store.deployments().save(running);
        Deployment unknown = running.unknown(t(1800));
        assertThat(store.deployments().saveIfRunning(unknown)).isTrue();
        assertThat(store.deployments().get("d1")).contains(unknown);
        assertThat(unknown.duration()).isEmpty();
        // a second sweep (another replica) finds it ended and writes nothing
        assertThat(store.deployments().saveIfRunning(running.unknown(t(2400)))).isFalse();
        assertThat(store.deployments().get("d1")).contains(unknown);
    }

    @Test
    void sweepNeverOverwritesAResultThatArrivedFirst() {
        Deployment running = deployment("d1", "production", "acme/infra", T0);
        store.deployments().save(running);
        Deployment succeeded = running.finish(t(1700), true);
        store.deployments().save(succeeded);
        assertThat(store.deployments().saveIfRunning(running.unknown(t(1800)))).isFalse();
        assertThat(store.deployments().get("d1")).contains(succeeded);
        assertThat(store.deployments().saveIfRunning(deployment("missing", "production",
                "acme/infra", T0).unknown(t(1800)))).isFalse();
        assertThat(store.deployments().get("missing")).isEmpty();
    }

    @Test
    void lateResultReplacesUnknownAndIsListedWithIt() {
        Deployment running = deployment("d1", "production", "acme/infra", T0);
        store.deployments().save(running);
        store.deployments().saveIfRunning(running.unknown(t(1800)));
        assertThat(store.deployments().startedSince(Optional.empty(), T0))
                .extracting(Deployment::result).containsExactly(DeploymentStatus.UNKNOWN);
        Deployment late = running.finish(t(2400), false);
        store.deployments().save(late);
        assertThat(store.deployments().get("d1")).contains(late);
        assertThat(late.duration()).contains(Duration.ofMinutes(40));
    }

    @Test
    void deploymentsStartedSinceAStartAreReturnedPerEnvironment() {
        store.deployments().save(deployment("old", "production", "acme/infra", T0));
        store.deployments().save(deployment("new", "production", "acme/infra", t(100)));
        store.deployments().save(deployment("stg", "staging", "acme/infra", t(200)));
        assertThat(store.deployments().startedSince(Optional.of("production"), t(100)))
                .extracting(Deployment::id).containsExactly("new");
        assertThat(store.deployments().startedSince(Optional.empty(), t(100)))
                .extracting(Deployment::id).containsExactly("stg", "new");
    }

    // --- store ---

    @Test
    void storeAnswersPingAndDescribesItself() {
        store.ping();
        assertThat(store.describe()).isNotBlank();
    }
}
