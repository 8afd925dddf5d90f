package io.tidegate.github;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dry-run {@link PullRequestWriter} (no GitHub credentials, or {@code TIDEGATE_DRY_RUN}):
 * logs what would be written instead of writing it, and remembers it, so it reports
 * {@code UNCHANGED} exactly when the real writer would. Logs the first line and the length of a
 * comment, never credentials (it has none). Thread-safe.
 */
public final class LoggingPullRequestWriter implements PullRequestWriter {
    private static final Logger log = LoggerFactory.getLogger(LoggingPullRequestWriter.class);
    /** Bounds memory in long dry runs; forgetting only means one more "would write" line. */
    private static final int MAX_REMEMBERED = 10_000;

    private final Map<String, String> written = new ConcurrentHashMap<>();

    @Override
    public CommentWrite upsertStickyComment(String repo, int number, String marker,
            String body) {
        String text = CommentLimit.fit(body.startsWith(marker) ? body : marker + "\n" + body);
        Written w = remember("comment " + repo + "#" + number + " " + marker, text);
        if (w != Written.UNCHANGED) {
            log.info("dry run: would {} the sticky comment on {}#{} ({} characters): {}",
                    w == Written.CREATED ? "create" : "update", repo, number, text.length(),
                    firstLine(text.substring(marker.length()).strip()));
        }
        return new CommentWrite(w, Optional.empty());
    }

    @Override
    public Written setStatus(String repo, String sha, CommitStatus status) {
        Written w = remember("status " + repo + "@" + sha + " " + status.context(),
                status.state() + " " + status.description() + " " + status.targetUrl());
        if (w != Written.UNCHANGED) {
            log.info("dry run: would set {} on {}@{} to {}: {}", status.context(), repo, sha,
                    status.state().apiName(), status.description());
        }
        return w;
    }

    @Override
    public void replyToComment(String repo, int number, String body) {
        log.info("dry run: would reply on {}#{} ({} characters): {}", repo, number,
                body.length(), firstLine(body));
    }

    private Written remember(String key, String value) {
        if (written.size() >= MAX_REMEMBERED) {
            written.clear();
        }
        String before = written.put(key, value);
        if (before == null) {
            return Written.CREATED;
        }
        return before.equals(value) ? Written.UNCHANGED : Written.UPDATED;
    }

    private static String firstLine(String text) {
        String line = text.lines().findFirst().orElse("");
        return line.length() <= 120 ? line : line.substring(0, 120) + "…";
    }

    @Override
    public String toString() {
        return "LoggingPullRequestWriter[" + written.size() + " remembered]";
    }
}
