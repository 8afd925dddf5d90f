package io.tidegate.web;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.PolicySet;

/**
 * What every page says about itself: the policy version it was rendered under (its SHA-256,
 * the same hash audit rows carry), the policy's zone, when, and a policy-file problem if the
 * file on disk is broken (applies are denied meanwhile).
 */
public record Header(String policySha, String policyZone, Instant generatedAt,
        Optional<String> policyProblem) {
    public Header {
        Objects.requireNonNull(policySha, "policySha == null");
        Objects.requireNonNull(policyZone, "policyZone == null");
        Objects.requireNonNull(generatedAt, "generatedAt == null");
        Objects.requireNonNull(policyProblem, "policyProblem == null");
    }

    static Header of(PolicySet policy, Instant now) {
        return new Header("sha256:" + policy.sha256(), policy.timezone().getId(), now,
                policy.fileProblem());
    }

    /** The first 12 hex digits, as the footer shows it. */
    public String shortSha() {
        String hex = policySha.startsWith("sha256:") ? policySha.substring(7) : policySha;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }
}
