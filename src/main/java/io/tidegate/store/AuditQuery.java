package io.tidegate.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which audit records to read, organisation-wide, oldest first: recorded at or after
 * {@code since} and before {@code until}, optionally of one repository (and pull request),
 * environment and decision ({@code allow}, {@code deny}, or {@code none} for records that are
 * not decisions). {@code cursor} is the {@link AuditPage#nextCursor()} of the previous page.
 */
public record AuditQuery(Optional<Instant> since, Optional<Instant> until,
        Optional<String> repo, Optional<Integer> pr, Optional<String> environment,
        Optional<String> decision, Optional<String> cursor) {
    public AuditQuery {
        Objects.requireNonNull(since, "since == null");
        Objects.requireNonNull(until, "until == null");
        Objects.requireNonNull(repo, "repo == null");
        Objects.requireNonNull(pr, "pr == null");
        Objects.requireNonNull(environment, "environment == null");
        Objects.requireNonNull(decision, "decision == null");
        Objects.requireNonNull(cursor, "cursor == null");
        if (pr.isPresent() && repo.isEmpty()) {
            throw new IllegalArgumentException("a pull request is read within a repository");
        }
    }

    /** Everything ever recorded. */
    public static AuditQuery all() {
        return new AuditQuery(Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    public AuditQuery since(Instant t) {
        return new AuditQuery(Optional.of(t), until, repo, pr, environment, decision, cursor);
    }

    public AuditQuery until(Instant t) {
        return new AuditQuery(since, Optional.of(t), repo, pr, environment, decision, cursor);
    }

    public AuditQuery repo(String r) {
        return new AuditQuery(since, until, Optional.of(r), pr, environment, decision, cursor);
    }

    public AuditQuery pullRequest(String r, int number) {
        return new AuditQuery(since, until, Optional.of(r), Optional.of(number), environment,
                decision, cursor);
    }

    public AuditQuery environment(String e) {
        return new AuditQuery(since, until, repo, pr, Optional.of(e), decision, cursor);
    }

    public AuditQuery decision(String d) {
        return new AuditQuery(since, until, repo, pr, environment, Optional.of(d), cursor);
    }

    public AuditQuery after(Optional<String> c) {
        return new AuditQuery(since, until, repo, pr, environment, decision, c);
    }

    /** Whether a record passes the filters other than time and cursor. */
    boolean matches(AuditRecord r) {
        return repo.map(r.repo()::equals).orElse(true)
                && pr.map(n -> n == r.pr()).orElse(true)
                && environment.map(r.environment()::equals).orElse(true)
                && decision.map(r.decision()::equals).orElse(true);
    }
}
