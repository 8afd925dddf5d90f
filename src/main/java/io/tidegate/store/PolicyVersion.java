package io.tidegate.store;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import io.tidegate.policy.PolicyFiles;

/**
 * One version of the policy that decided, kept by its content address: a policy <em>set</em>,
 * the text of each file by its path ({@code policies/policy.yaml}), so several files (a default
 * and per-repository policies) are one version. {@code sha256} is what audit rows name
 * ({@code sha256:<hex>}): for one file it is the SHA-256 of that file's text, the hash
 * {@link io.tidegate.policy.PolicySet#sha256()} has always had; for several files it is the
 * SHA-256 of the lines {@code <path> NUL <sha256 of its text> LF}, sorted by path, so a change
 * in any file or path is a new version ({@link PolicyFiles#sha256Of}, the hash the parser gives
 * a policy with {@code repos:}). Built only with a hash that matches its files: a
 * stored version whose text was altered does not read back.
 */
public record PolicyVersion(String sha256, Map<String, String> files, Instant firstSeen) {
    public PolicyVersion {
        Objects.requireNonNull(sha256, "sha256 == null");
        Objects.requireNonNull(files, "files == null");
        Objects.requireNonNull(firstSeen, "firstSeen == null");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("a policy version has at least one file");
        }
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        String actual = hashOf(files);
        if (!actual.equals(sha256)) {
            throw new IllegalArgumentException("policy version " + sha256 + " holds text that "
                    + "hashes to " + actual);
        }
    }

    /** The version of these files, first seen at {@code firstSeen}. */
    public static PolicyVersion of(Map<String, String> files, Instant firstSeen) {
        return new PolicyVersion(hashOf(files), files, firstSeen);
    }

    /** The content address of a policy set (see the class comment). */
    public static String hashOf(Map<String, String> files) {
        return PolicyFiles.sha256Of(files);
    }
}
