package io.tidegate.review;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.github.CommitStatus;
import io.tidegate.policy.Environment;
import io.tidegate.store.InboxEvent;
import io.tidegate.store.InboxHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox handler of a server with no GitHub credentials (the quick start's dry run). Nothing
 * about a pull request can be read, so nothing can be decided, and retrying cannot change that:
 * each PR event queues what <em>can</em> be said (a sticky comment saying Tidegate waits for
 * facts, and an {@code error} status per environment an apply may go to, on the head commit the
 * event named), which the dry-run writer logs, and the event is done. Why nothing more happens
 * is logged once. Comment commands cannot be answered (the commenter's teams cannot be read).
 */
public final class NoCredentialsReview implements InboxHandler {
    static final String WHY = "no GitHub credentials are configured (GITHUB_TOKEN or "
            + "GITHUB_APP_ID)";
    private static final Logger log = LoggerFactory.getLogger(NoCredentialsReview.class);

    private final PolicySource policies;
    private final GitHubEffects effects;
    private final PullRequestUrls urls;
    private final ObjectMapper json;
    private final Clock clock;
    private final AtomicBoolean told = new AtomicBoolean();

    public NoCredentialsReview(PolicySource policies, GitHubEffects effects,
            PullRequestUrls urls, ObjectMapper json, Clock clock) {
        this.policies = Objects.requireNonNull(policies, "policies == null");
        this.effects = Objects.requireNonNull(effects, "effects == null");
        this.urls = Objects.requireNonNull(urls, "urls == null");
        this.json = Objects.requireNonNull(json, "json == null");
        this.clock = Objects.requireNonNull(clock, "clock == null");
    }

    @Override
    public void handle(InboxEvent event) {
        InboxMessage m;
        try {
            m = InboxMessage.decode(event.payload(), json);
        } catch (IllegalArgumentException e) {
            log.warn("inbox event {} skipped: {}", event.id(), e.getMessage());
            return;
        }
        tellOnce();
        if (m instanceof InboxMessage.Evaluate e) {
            waitForFacts(e, event.id());
        } else if (m instanceof InboxMessage.Comment c) {
            log.info("dry run: the comment on {}#{} is not answered: {}", c.repo(), c.number(),
                    WHY);
        }
    }

    private void tellOnce() {
        if (told.compareAndSet(false, true)) {
            log.warn("dry run without GitHub credentials: Tidegate cannot read pull requests, "
                    + "reviews or teams, so for each pull request it can only say it waits for "
                    + "facts (logged below, not written), and every gate call is denied "
                    + "(facts-unavailable); set GITHUB_TOKEN or GITHUB_APP_ID for decisions");
        }
    }

    private void waitForFacts(InboxMessage.Evaluate e, String trigger) {
        Instant now = clock.instant();
        Optional<String> target = Optional.of(urls.of(e.repo(), e.number()));
        effects.comment(e.repo(), e.number(), comment(e.headSha()), trigger, now);
        // Without the PR its base branch is unknown: every environment an apply may go to.
        e.headSha().ifPresent(sha -> {
            for (Environment env : policies.current().environments()) {
                if (env.apply().enabled()) {
                    effects.status(e.repo(), sha, status(env.name(), target), trigger, now);
                }
            }
        });
    }

    static String comment(Optional<String> head) {
        String at = head.map(h -> " · `" + (h.length() > 7 ? h.substring(0, 7) : h) + "`")
                .orElse("");
        return StickyComment.MARKER + "\n⏳ Waiting for facts: Tidegate has no GitHub "
                + "credentials to read this pull request with.\n\n### Tidegate" + at + "\n\n"
                + "It cannot read the pull request, its reviews or teams, because " + WHY
                + ", so nothing here can be decided or applied until it can.\n";
    }

    static CommitStatus status(String environment, Optional<String> target) {
        return CommitStatus.of(environment, CommitStatus.State.ERROR,
                "Tidegate cannot read this pull request: no GitHub credentials (dry run)",
                target);
    }
}
