package io.tidegate.atlantis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What Atlantis really sends Tidegate, built the way Atlantis builds it. Every shape is taken
 * from Atlantis's source at v0.47.0-7-g078d0a820 (runatlantis/atlantis):
 *
 * <ul>
 *   <li>the apply result: {@code server/events/webhooks/webhooks.go} ({@code ApplyResult}),
 *       {@code server/events/models/models.go} ({@code Repo}, {@code PullRequest} with
 *       {@code HardenedNonPRRefCheckout} and {@code Body}, {@code User}, {@code VCSHost}),
 *       encoded by {@code server/events/webhooks/http.go} with {@code json.Marshal}: Go field
 *       names, ints for the enums, {@code null} for a nil {@code Teams} slice, and Go's
 *       HTML-safe string escaping ({@code <}, {@code >}, {@code &}, U+2028, U+2029 as
 *       {@code \\u....});</li>
 *   <li>{@code COMMENT_ARGS}: {@code server/events/project_command_context_builder.go}
 *       ({@code escapeArgs}: a backslash before {@code arg[i]} for each rune start {@code i},
 *       the byte taken as a rune) joined with commas in
 *       {@code server/core/runtime/run_step_runner.go}.</li>
 * </ul>
 */
public final class AtlantisPayloads {
    public static final String TOKEN = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";

    private AtlantisPayloads() {}

    /** One apply result: who, where, and the PR description ({@code Pull.Body}). */
    public record Apply(String repo, int pr, String sha, String user, boolean success,
            String dir, String workspace, String project, String body) {
        public Apply withBody(String b) {
            return new Apply(repo, pr, sha, user, success, dir, workspace, project, b);
        }

        public Apply withSuccess(boolean s) {
            return new Apply(repo, pr, sha, user, s, dir, workspace, project, body);
        }
    }

    /** {@code atlantis apply -p prod-environment} on acme/infra, by lead1. */
    public static Apply prodApply(int pr, String sha, boolean success) {
        return new Apply("acme/infra", pr, sha, "lead1", success, "environments/prod", "prod",
                "prod-environment", "Adds the RDS cluster.\n\n- [x] Rollback plan");
    }

    /** {@code json.Marshal(webhooks.ApplyResult{...})}, fields in Go's declaration order. */
    public static String applyResultJson(Apply a) {
        String owner = a.repo().substring(0, a.repo().indexOf('/'));
        String name = a.repo().substring(a.repo().indexOf('/') + 1);
        String repo = "{\"FullName\":" + go(a.repo()) + ",\"Owner\":" + go(owner)
                + ",\"Name\":" + go(name) + ",\"CloneURL\":"
                + go("https://x-access-token:" + TOKEN + "@github.com/" + a.repo() + ".git")
                + ",\"SanitizedCloneURL\":"
                + go("https://x-access-token:<redacted>@github.com/" + a.repo() + ".git")
                + ",\"VCSHost\":{\"Hostname\":\"github.com\",\"Type\":0}}";
        String pull = "{\"Num\":" + a.pr() + ",\"HeadCommit\":" + go(a.sha())
                + ",\"URL\":" + go("https://github.com/" + a.repo() + "/pull/" + a.pr())
                + ",\"HeadBranch\":" + go("feature/infra-" + a.pr())
                + ",\"BaseBranch\":\"main\",\"HardenedNonPRRefCheckout\":false"
                + ",\"Author\":\"dev1\",\"Body\":" + go(a.body()) + ",\"State\":0"
                + ",\"BaseRepo\":" + repo + "}";
        return "{\"Workspace\":" + go(a.workspace()) + ",\"Repo\":" + repo + ",\"Pull\":" + pull
                + ",\"User\":{\"Username\":" + go(a.user()) + ",\"Teams\":null}"
                + ",\"Success\":" + a.success() + ",\"Directory\":" + go(a.dir())
                + ",\"ProjectName\":" + go(a.project()) + "}";
    }

    /**
     * A PR description at GitHub's limit of 65,536 characters' worth of hostile text: 60,000
     * characters of CJK, quotes, backslashes, HTML characters Go escapes six-fold, emoji and
     * newlines (a pasted plan, a long checklist).
     */
    public static String longBody() {
        String unit = "배포 계획 \"main\" <aws_db_instance.main> & 'rollback' \\ 📦 ✓\n";
        StringBuilder b = new StringBuilder(60_000);
        while (b.length() < 60_000) {
            b.append(unit);
        }
        b.setLength(60_000);
        // never end between the two halves of a surrogate pair
        if (Character.isHighSurrogate(b.charAt(b.length() - 1))) {
            b.setCharAt(b.length() - 1, '.');
        }
        return b.toString();
    }

    /** Go's {@code encoding/json} string encoding, HTML-safe as {@code json.Marshal} is. */
    public static String go(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == '\u2028'
                            || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /**
     * {@code COMMENT_ARGS} for these extra args, exactly as Atlantis computes it: Go's
     * {@code for i := range arg} visits each rune's first byte, and
     * {@code string(arg[i])} turns that byte into the rune of the same number, so a non-ASCII
     * character becomes a backslash and one Latin-1 character.
     */
    public static String commentArgs(List<String> args) {
        List<String> escaped = new ArrayList<>();
        for (String arg : args) {
            byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
            StringBuilder e = new StringBuilder();
            for (int i = 0; i < bytes.length; i++) {
                int b = bytes[i] & 0xff;
                boolean continuation = (b & 0xc0) == 0x80;
                if (!continuation) {
                    e.append('\\').append((char) b);
                }
            }
            escaped.add(e.toString());
        }
        return String.join(",", escaped);
    }
}
