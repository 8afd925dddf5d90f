package io.tidegate.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Removes credentials from text before it is logged. It knows the configured secrets by value
 * (registered at start-up) and also recognises credentials by shape: user info in URLs (Atlantis
 * clone URLs carry the VCS token there), GitHub and Slack token prefixes, bearer headers.
 *
 * <p>Global by necessity: Logback builds its layouts itself, so this is the one static registry.
 */
public final class SecretRedactor {
    public static final String MASK = "****";
    /** Shorter values are not registered: masking "a" would shred every log line. */
    private static final int MIN_SECRET_LENGTH = 4;

    private static final List<String> secrets = new CopyOnWriteArrayList<>();
    private static final List<Pattern> SHAPES = List.of(
            // https://user:token@host or https://token@host
            Pattern.compile("(?<=://)[^/@\\s\"']+(?=@)"),
            // GitHub tokens: classic, fine-grained, app installation, OAuth, refresh
            Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
            // Slack tokens and incoming-webhook paths
            Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{8,}"),
            Pattern.compile("(?<=hooks\\.slack\\.com/services/)[A-Za-z0-9/]+"),
            // Authorization headers echoed into messages
            Pattern.compile("(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{8,}"));

    private SecretRedactor() {}

    public static void register(String secret) {
        if (secret != null && secret.length() >= MIN_SECRET_LENGTH && !secrets.contains(secret)) {
            secrets.add(secret);
        }
    }

    /** For tests: forget every registered value. */
    public static void clear() {
        secrets.clear();
    }

    public static String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        for (Pattern p : SHAPES) {
            out = p.matcher(out).replaceAll(MASK);
        }
        return out;
    }
}
