/**
 * Durable state: one interface per concern ({@link io.tidegate.store.DeliveryStore},
 * {@link io.tidegate.store.InboxStore}, {@link io.tidegate.store.OutboxStore},
 * {@link io.tidegate.store.AuditStore}, {@link io.tidegate.store.CostReportStore},
 * {@link io.tidegate.store.OverrideStore}, {@link io.tidegate.store.LockStore},
 * {@link io.tidegate.store.DeploymentStore}) gathered in {@link io.tidegate.store.Store}, with
 * two engines that pass one contract suite: {@link io.tidegate.store.SqliteStore} (default, one
 * file) and {@link io.tidegate.store.DynamoDbStore} (several replicas).
 *
 * <p>On top: {@link io.tidegate.store.InboxWorker} (webhook events, one per pull request at a
 * time, in order) and {@link io.tidegate.store.OutboxDispatcher} (effects on GitHub, Slack and
 * SNS, at least once, never twice thanks to idempotency keys). The flow for a webhook:
 * add the event to the inbox, acknowledge; the worker's handler decides and enqueues effects
 * keyed by the event; the dispatcher performs them.
 *
 * <p>Store records are plain values; this package reads no clock (callers pass "now") and
 * depends on no decision logic, only on a few fact records of {@code decision/}.
 */
package io.tidegate.store;
