package io.tidegate.web;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.audit.RedactedAuditLog;
import io.tidegate.policy.PolicySet;
import io.tidegate.review.PolicySource;
import io.tidegate.review.ReviewBoard;
import io.tidegate.store.AuditLog;
import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentPage;
import io.tidegate.store.DeploymentQuery;
import io.tidegate.store.Store;

/**
 * The dashboard's read models, built from store reads, the policy in force and the clock: the
 * one source of both the HTML pages and their JSON twins. Knows nothing of HTTP.
 */
public final class Dashboard {
    /** Deployments per history page, decisions per audit page. */
    static final int HISTORY_PAGE = 25;
    static final int DECISIONS_PAGE = 20;

    private final Store store;
    private final AuditLog audit;
    private final PolicySource policies;
    private final ReviewBoard board;
    private final Links links;
    private final Clock clock;

    public Dashboard(Store store, PolicySource policies, Links links, Clock clock) {
        this.store = Objects.requireNonNull(store, "store == null");
        // the dashboard token must not read a credential the API token's holder or a PR author
        // wrote into a row: the decisions page reads the audit masked (RedactedAuditLog)
        this.audit = RedactedAuditLog.of(store.auditLog());
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.links = Objects.requireNonNull(links, "links == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
        this.board = new ReviewBoard(store.reviewBoard(), ReviewBoard.mapper());
    }

    /** The policy's zone, for viewers who did not pick theirs. */
    ZoneId policyZone() {
        return policies.current().timezone();
    }

    NowPage now(Optional<ZoneId> viewer) {
        Instant now = clock.instant();
        PolicySet policy = policies.current();
        return NowPage.build(policy, store.locks().held(now), board.all(), links,
                viewer.orElse(policy.timezone()), now);
    }

    WaitingPage waiting(Optional<String> login, Optional<String> environment) {
        Instant now = clock.instant();
        return WaitingPage.build(Header.of(policies.current(), now), board.all(), login,
                environment, now);
    }

    DeploymentsPage deployments(DeploymentsPage.Filter f) {
        Instant now = clock.instant();
        PolicySet policy = policies.current();
        DeploymentPage history = store.deployments().list(new DeploymentQuery(f.environment(),
                f.repo(), HISTORY_PAGE, f.cursor()));
        return DeploymentsPage.build(Header.of(policy, now), f, store.deploymentFigures(),
                failures(f, now), history, policy.timezone(), now);
    }

    /**
     * The period's newest failed and lost deployments: newest-first pages of the history,
     * at most five pages read.
     */
    private List<Deployment> failures(DeploymentsPage.Filter f, Instant now) {
        List<Deployment> out = new java.util.ArrayList<>();
        Instant from = now.minus(java.time.Duration.ofDays(f.days()));
        Optional<String> cursor = Optional.empty();
        for (int page = 0; page < 5 && out.size() < 10; page++) {
            DeploymentPage p = store.deployments().list(new DeploymentQuery(f.environment(),
                    f.repo(), DeploymentQuery.MAX_LIMIT, cursor));
            for (Deployment d : p.items()) {
                if (d.startedAt().isBefore(from)) {
                    return out;
                }
                if ((d.result() == io.tidegate.store.DeploymentStatus.FAILED
                        || d.result() == io.tidegate.store.DeploymentStatus.UNKNOWN)
                        && out.size() < 10) {
                    out.add(d);
                }
            }
            if (p.nextCursor().isEmpty()) {
                break;
            }
            cursor = p.nextCursor();
        }
        return out;
    }

    DecisionsPage decisions(DecisionsPage.Filter f, Optional<Instant> from,
            Optional<Instant> until) {
        Instant now = clock.instant();
        return DecisionsPage.build(Header.of(policies.current(), now), f,
                audit.newest(DecisionsPage.query(f, from, until),
                        DECISIONS_PAGE));
    }

    /** Every environment the policy names, for the filters' choices. */
    List<String> environmentNames() {
        return policies.current().environments().stream().map(e -> e.name()).toList();
    }

    Instant instant() {
        return clock.instant();
    }
}
