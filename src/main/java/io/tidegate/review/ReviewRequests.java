package io.tidegate.review;

/**
 * Asks for pull requests to be evaluated again (sticky comment and statuses), for example after
 * Atlantis reported a plan. Implementations queue the request durably (the inbox, ordered per PR)
 * and return at once. Safe for concurrent use.
 *
 * <p>{@link #reviewEnvironment} is the entry point for whatever changes the verdict of other
 * PRs than the one it happened on: a lock taken (the gate) or released (apply result, manual
 * unlock), a budget consumed by a deployment, a freeze declared. Call it after the change is
 * in the store.
 */
@FunctionalInterface
public interface ReviewRequests {
    ReviewRequests NONE = (repo, number, why) -> { };

    /** Re-reviews one PR because of an event of its own (GitHub is read). */
    void request(String repo, int number, String why);

    /** Re-reviews one PR for {@code trigger} (an Atlantis comment: {@link ReviewTrigger#COMMAND}). */
    default void request(String repo, int number, String why, ReviewTrigger trigger) {
        request(repo, number, why);
    }

    /**
     * Re-reviews the open PRs of {@code environment} whose verdict {@code trigger} can change,
     * from their stored facts (no GitHub read): {@link ReviewTrigger#LOCK} those that waited
     * for its lock, any other trigger every PR with a project there. Returns how many were
     * queued.
     */
    default int reviewEnvironment(String environment, ReviewTrigger trigger) {
        return 0;
    }
}
