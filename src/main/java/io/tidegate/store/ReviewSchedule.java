package io.tidegate.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The open pull requests Tidegate has reviewed, one entry each, with the next instant its
 * verdict can change by time alone and the facts its last review read from GitHub (opaque text
 * here: the review side writes and reads it), so a re-review at that instant needs no GitHub
 * call. Shared by every replica; safe for concurrent use.
 *
 * <p>Firing is exactly once without a lease: whoever finds an entry due adds an inbox event
 * whose id names the PR and the due instant (the inbox refuses a second one), then clears the
 * due instant with {@link #clearDue} only if it is still the one it saw. A replica dying in
 * between leaves the entry due, and the next one to look repeats both steps harmlessly.
 */
public interface ReviewSchedule {
    /** Inserts or replaces the PR's entry and the facts its review read. */
    void save(ScheduledReview review, String facts);

    Optional<ScheduledReview> get(String repo, int number);

    /** The facts saved with the entry. */
    Optional<String> facts(String repo, int number);

    /** Every entry, earliest due first, then those with none. */
    List<ScheduledReview> all();

    /** Entries due at or before {@code now}, earliest first, at most {@code max}. */
    List<ScheduledReview> due(Instant now, int max);

    /** The earliest due instant of any entry. */
    Optional<Instant> nextDue();

    /** Clears the entry's due instant if it is still {@code dueAt}; whether it was. */
    boolean clearDue(String repo, int number, Instant dueAt);

    /** Forgets the PR (closed or merged). */
    void remove(String repo, int number);
}
