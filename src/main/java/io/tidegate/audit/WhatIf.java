package io.tidegate.audit;

import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditEntry;

/**
 * What a candidate policy would have changed in recorded decisions: each decision's facts
 * decided under the candidate at its recorded instant and compared with what was recorded.
 * A change is a verdict flipped ({@code allow -> deny}, {@code deny -> allow}) or, with the
 * same verdict, different reason codes (messages alone are not a change: amounts and names in
 * them move with the policy). Gate refusals never change (the policy was not asked); rows that
 * cannot be read are counted apart. Feed it entries one by one; it keeps only counts.
 */
public final class WhatIf {
    private final Replayer replayer;
    private final PolicySet candidate;
    private long replayed;
    private long allowToDeny;
    private long denyToAllow;
    private long reasonsChanged;
    private long unreadable;

    public WhatIf(Replayer replayer, PolicySet candidate) {
        this.replayer = Objects.requireNonNull(replayer, "replayer == null");
        this.candidate = Objects.requireNonNull(candidate, "candidate == null");
    }

    /** One changed decision: the record, its recorded and its candidate outcome. */
    public record Change(AuditEntry entry, Outcome recorded, Outcome candidate, String kind) {}

    /** The totals so far. */
    public record Counts(long replayed, long allowToDeny, long denyToAllow, long reasonsChanged,
            long unreadable) {
        public long changed() {
            return allowToDeny + denyToAllow + reasonsChanged;
        }
    }

    /** Decides the entry under the candidate; the change, if it is one. Events are skipped. */
    public Optional<Change> consider(AuditEntry entry) {
        if (!entry.record().isDecision()) {
            return Optional.empty();
        }
        ReplayResult r = replayer.withPolicy(entry, candidate);
        if (r.status() == ReplayResult.Status.NOT_REPLAYABLE) {
            unreadable++;
            return Optional.empty();
        }
        replayed++;
        Outcome was = r.recorded().orElseThrow();
        Outcome now = r.replayed().orElseThrow();
        String kind = kind(was, now);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Change(entry, was, now, kind));
    }

    private String kind(Outcome was, Outcome now) {
        if (was.verdict().equals("allow") && now.verdict().equals("deny")) {
            allowToDeny++;
            return "allow-to-deny";
        }
        if (was.verdict().equals("deny") && now.verdict().equals("allow")) {
            denyToAllow++;
            return "deny-to-allow";
        }
        if (!was.codes().equals(now.codes())) {
            reasonsChanged++;
            return "reasons-changed";
        }
        return "";
    }

    public Counts counts() {
        return new Counts(replayed, allowToDeny, denyToAllow, reasonsChanged, unreadable);
    }
}
