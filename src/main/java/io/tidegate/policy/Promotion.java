package io.tidegate.policy;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * An environment's {@code promotion}: an apply here needs a successful apply of the same change
 * in the environment {@code after}, recorded by Tidegate at least {@code soak} ago.
 *
 * <pre>
 * production:
 *   promotion: { after: staging, same: tree, soak: 1h }
 * </pre>
 *
 * @param same what "the same change" is: the Git tree (a merge commit with the same content
 *             counts), the commit, or the pull request
 * @param soak how long after that apply this one may run ({@link Duration#ZERO}: at once)
 */
public record Promotion(String after, Same same, Duration soak, boolean enforce) {
    public Promotion {
        Objects.requireNonNull(after, "after == null");
        Objects.requireNonNull(same, "same == null");
        Objects.requireNonNull(soak, "soak == null");
    }

    /** What must be equal between the earlier apply and this one. */
    public enum Same {
        TREE, COMMIT, PR;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
