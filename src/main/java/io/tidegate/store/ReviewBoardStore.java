package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The last review of every open pull request (the "what waits" read model): one entry per PR,
 * replaced by each review, removed when the PR is closed or merged. The store keeps the review
 * as the JSON its writer made ({@code review/ReviewBoard}) and does not read it. Safe for
 * concurrent use; the last write wins.
 */
public interface ReviewBoardStore {
    void put(Entry entry);

    void remove(String repo, int pr);

    Optional<Entry> get(String repo, int pr);

    /** Every open PR's entry, most recently reviewed first. */
    List<Entry> all();

    /** One PR's last review. */
    record Entry(String repo, int pr, Instant reviewedAt, String json) {
        public Entry {
            Objects.requireNonNull(repo, "repo == null");
            Objects.requireNonNull(reviewedAt, "reviewedAt == null");
            Objects.requireNonNull(json, "json == null");
        }
    }
}
