package io.tidegate.logging;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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
    /**
     * Credential shapes, each with the literal text it cannot match without: most text holds
     * none, and the gate cleans every line of its answer here, so a cheap look for the literal
     * spares the regular expression (five {@code replaceAll}s were a twentieth of the gate's
     * CPU, JFR, issue 19).
     */
    private record Shape(Pattern pattern, Predicate<String> mayMatch) {}

    private static final List<Shape> SHAPES = List.of(
            // https://user:token@host or https://token@host
            new Shape(Pattern.compile("(?<=://)[^/@\\s\"']+(?=@)"),
                    t -> t.contains("://") && t.indexOf('@') >= 0),
            // GitHub tokens: classic, fine-grained, app installation, OAuth, refresh
            new Shape(Pattern.compile(
                    "\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
                    t -> t.indexOf('_') >= 0 && (t.contains("gh") || t.contains("github_pat_"))),
            // Slack tokens and incoming-webhook paths
            new Shape(Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{8,}"),
                    t -> t.contains("xox")),
            new Shape(Pattern.compile("(?<=hooks\\.slack\\.com/services/)[A-Za-z0-9/]+"),
                    t -> t.contains("hooks.slack.com/services/")),
            // Authorization headers echoed into messages
            new Shape(Pattern.compile("(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{8,}"),
                    SecretRedactor::mentionsBearer));

    private SecretRedactor() {}

    /**
     * Registered values are masked longest first: were one a prefix of another ("api-token",
     * "api-token-2"), masking the shorter first would leave the rest of the longer in clear.
     */
    public static synchronized void register(String secret) {
        if (secret != null && secret.length() >= MIN_SECRET_LENGTH && !secrets.contains(secret)) {
            int at = 0;
            while (at < secrets.size() && secrets.get(at).length() >= secret.length()) {
                at++;
            }
            secrets.add(at, secret);
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
        for (Shape shape : SHAPES) {
            if (shape.mayMatch().test(out)) {
                out = shape.pattern().matcher(out).replaceAll(MASK);
            }
        }
        return out;
    }

    /** "bearer " in any case, as the pattern's {@code (?i)} reads it. */
    private static boolean mentionsBearer(String text) {
        for (int i = text.indexOf(' '); i >= 0; i = text.indexOf(' ', i + 1)) {
            if (i >= 6 && text.regionMatches(true, i - 6, "bearer", 0, 6)) {
                return true;
            }
        }
        return false;
    }
}
