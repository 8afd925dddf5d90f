package io.tidegate.review;

/**
 * Asks for a pull request to be evaluated again (sticky comment and statuses), for example after
 * Atlantis reported a plan. Implementations queue the request durably (the inbox, ordered per PR)
 * and return at once. Safe for concurrent use.
 */
@FunctionalInterface
public interface ReviewRequests {
    ReviewRequests NONE = (repo, number, why) -> { };

    void request(String repo, int number, String why);
}
