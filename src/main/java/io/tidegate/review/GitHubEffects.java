package io.tidegate.review;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.github.CommitStatus;
import io.tidegate.github.GitHubException;
import io.tidegate.github.PullRequestWriter;
import io.tidegate.store.Effect;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.OutboxEntry;
import io.tidegate.store.OutboxState;
import io.tidegate.store.OutboxStore;
import io.tidegate.store.PerformResult;

/**
 * Tidegate's writes on GitHub as outbox effects ({@value #COMMENT}, {@value #STATUS},
 * {@value #REPLY}) and their performers over a {@link PullRequestWriter}.
 *
 * <p>Keys: {@code kind:target:trigger:contentHash}, so handling the same inbox event again queues
 * nothing new, while a later event that returns to an earlier state still gets written.
 * {@link #enqueue} also skips an effect whose content equals the last one queued for the same
 * target while that one is not given up: a re-evaluation that changes nothing costs no GitHub call.
 *
 * <p>Order: an effect carries the time it was decided ({@code generation}); a performer never
 * writes a comment or status older than one it already wrote for the same target, so a retried
 * old effect cannot overwrite a newer state. Replies carry a hidden marker per answered comment
 * and are written with the writer's find-or-create, so a repeated attempt never answers twice.
 */
public final class GitHubEffects {
    public static final String COMMENT = "github.comment";
    public static final String STATUS = "github.status";
    public static final String REPLY = "github.reply";

    private static final int MAX_REMEMBERED = 20_000;

    private final OutboxStore outbox;
    private final ObjectMapper json;
    private final java.time.Clock clock;
    /** target → key of the last effect queued for it (recent targets only). */
    private final Map<String, String> lastQueued = recent();
    /** target → generation of the newest effect performed for it (recent targets only). */
    private final Map<String, Long> newestPerformed = recent();

    public GitHubEffects(OutboxStore outbox, ObjectMapper json, java.time.Clock clock) {
        this.outbox = Objects.requireNonNull(outbox, "outbox == null");
        this.json = Objects.requireNonNull(json, "json == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    /** Queues the sticky comment of a PR. */
    public void comment(String repo, int number, String body, String trigger, Instant decided) {
        ObjectNode p = json.createObjectNode().put("repo", repo).put("number", number)
                .put("body", body).put("generation", decided.toEpochMilli());
        enqueue(COMMENT, repo + "#" + number, trigger, body, p);
    }

    /** Queues a commit status on {@code sha}. */
    public void status(String repo, String sha, CommitStatus s, String trigger, Instant decided) {
        ObjectNode p = json.createObjectNode().put("repo", repo).put("sha", sha)
                .put("context", s.context()).put("state", s.state().name())
                .put("description", s.description()).put("generation", decided.toEpochMilli());
        s.targetUrl().ifPresent(u -> p.put("target_url", u));
        enqueue(STATUS, repo + "@" + sha + ":" + s.context(), trigger,
                s.state() + "\n" + s.description() + "\n" + s.targetUrl().orElse(""), p);
    }

    /** Queues the one answer to comment {@code commentId}. */
    public void reply(String repo, int number, long commentId, String body) {
        ObjectNode p = json.createObjectNode().put("repo", repo).put("number", number)
                .put("comment_id", commentId).put("body", body);
        outbox.enqueue(new Effect(REPLY + ":" + repo + "#" + number + ":" + commentId, REPLY,
                p.toString()), clock.instant());
    }

    private void enqueue(String kind, String target, String trigger, String content,
            ObjectNode payload) {
        String hash = hash(content);
        String last = lastQueued.get(kind + ":" + target);
        if (last != null && last.endsWith(":" + hash)) {
            Optional<OutboxEntry> entry = outbox.get(last);
            if (entry.isPresent() && entry.get().state() != OutboxState.GAVE_UP) {
                return; // the same content is written or on its way
            }
        }
        String key = kind + ":" + target + ":" + trigger + ":" + hash;
        outbox.enqueue(new Effect(key, kind, payload.toString()), clock.instant());
        lastQueued.put(kind + ":" + target, key);
    }

    /** The performers for {@code wiring.Server}'s map, writing through {@code writer}. */
    public Map<String, EffectPerformer> performers(PullRequestWriter writer) {
        Objects.requireNonNull(writer, "writer == null");
        return Map.of(
                COMMENT, (effect, attempt) -> perform(effect, p -> {
                    String target = COMMENT + ":" + text(p, "repo") + "#" + p.path("number");
                    if (isStale(target, p)) {
                        return;
                    }
                    writer.upsertStickyComment(text(p, "repo"), p.path("number").asInt(),
                            StickyComment.MARKER, text(p, "body"));
                    performed(target, p);
                }),
                STATUS, (effect, attempt) -> perform(effect, p -> {
                    String target = STATUS + ":" + text(p, "repo") + "@" + text(p, "sha") + ":"
                            + text(p, "context");
                    if (isStale(target, p)) {
                        return;
                    }
                    writer.setStatus(text(p, "repo"), text(p, "sha"), new CommitStatus(
                            text(p, "context"), CommitStatus.State.valueOf(text(p, "state")),
                            text(p, "description"),
                            Optional.ofNullable(p.get("target_url")).map(JsonNode::asText)));
                    performed(target, p);
                }),
                REPLY, (effect, attempt) -> perform(effect, p -> writer.upsertStickyComment(
                        text(p, "repo"), p.path("number").asInt(),
                        "<!-- tidegate:reply:" + p.path("comment_id").asLong() + " -->",
                        text(p, "body"))));
    }

    private boolean isStale(String target, JsonNode p) {
        Long newest = newestPerformed.get(target);
        return newest != null && p.path("generation").asLong() < newest;
    }

    private void performed(String target, JsonNode p) {
        newestPerformed.merge(target, p.path("generation").asLong(), Math::max);
    }

    private interface Write {
        void run(JsonNode payload) throws GitHubException;
    }

    private PerformResult perform(Effect effect, Write write) {
        JsonNode p;
        try {
            p = json.readTree(effect.payload());
            write.run(p);
            return PerformResult.done();
        } catch (GitHubException e) {
            return e.isRetryable() ? PerformResult.retry(e.getMessage())
                    : PerformResult.permanent(e.getMessage());
        } catch (java.io.IOException | IllegalArgumentException e) {
            return PerformResult.permanent("bad effect payload: " + e.getMessage());
        }
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("effect payload has no " + field);
        }
        return v.textValue();
    }

    /**
     * A bounded memory: forgetting an old target only costs one write that turns out
     * unchanged (the writer checks), so the maps need not grow with every PR ever seen.
     */
    private static <V> Map<String, V> recent() {
        return java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(256, 0.75f,
                true) {
            @java.lang.Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > MAX_REMEMBERED;
            }
        });
    }

    static String hash(String content) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256")
                    .digest(content.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
