package io.tidegate.github;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;

/**
 * Turns a signed webhook delivery (raw body, {@code X-GitHub-Event}, {@code X-GitHub-Delivery})
 * into a {@link WebhookEvent}. Call only after {@link WebhookSignature#verify}.
 *
 * <p>Why a JSON tree (of only the fields read: {@link KeptFields}) and not hub4j's
 * {@code GitHub.offline().parseEventPayload}: hub4j binds leniently, so a missing
 * {@code number} becomes 0 and a missing {@code head.sha} becomes null somewhere later.
 * Reading the tree lets every required field be checked here and reported by its JSON path;
 * {@code WebhookParserTest} checks that both readings agree on the real payloads.
 *
 * <p>Outcomes: a record for what Tidegate acts on; {@link WebhookEvent.Ignored} with the reason
 * for events and actions it does not use; {@link MalformedWebhookException} for everything else.
 * No other exception escapes, whatever the bytes. Immutable and safe for concurrent use.
 */
public final class WebhookParser {
    /** GitHub caps webhook payloads at 25 MB; the route answers 413 above this. */
    public static final int MAX_BODY_BYTES = 25 * 1024 * 1024;
    /** pull_request actions that can change a decision (issue 5). */
    static final Set<String> PULL_REQUEST_ACTIONS = Set.of("opened", "reopened", "synchronize",
            "ready_for_review", "edited", "labeled", "unlabeled", "closed");
    static final Set<String> REVIEW_ACTIONS = Set.of("submitted", "edited", "dismissed");
    static final Set<String> ORGANIZATION_ACTIONS = Set.of("member_added", "member_removed");
    /** GitHub sends a UUID; anything else printable and short is tolerated (Enterprise). */
    private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,100}");
    private static final Pattern EVENT_NAME = Pattern.compile("[a-z_]{1,64}");
    /** SHA-1 (40) or SHA-256 (64) object names, as GitHub prints them. */
    private static final Pattern SHA = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final int MAX_MESSAGE = 200;

    /**
     * Every field any event below reads; everything else in a payload is skipped while reading
     * (see {@link KeptFields}). Reading a field missing here fails loudly in tests.
     */
    static final KeptFields KEPT = KeptFields.of("action", "zen", "hook_id",
            "repository.full_name", "sender.login", "installation.id",
            "pull_request.number", "pull_request.title", "pull_request.body",
            "pull_request.draft", "pull_request.merged", "pull_request.user.login",
            "pull_request.labels.name", "pull_request.base.ref", "pull_request.base.repo.full_name",
            "pull_request.head.ref", "pull_request.head.sha", "pull_request.head.repo.full_name",
            "review.id", "review.state", "review.commit_id", "review.submitted_at",
            "review.user.login",
            "issue.number", "issue.pull_request.url",
            "comment.id", "comment.body", "comment.user.login", "comment.user.type",
            "organization.login", "membership.user.login", "team.slug", "member.login");

    public WebhookEvent parse(String event, String deliveryId, byte[] body)
            throws MalformedWebhookException {
        String delivery = header("X-GitHub-Delivery", deliveryId, DELIVERY_ID);
        String name = header("X-GitHub-Event", event, EVENT_NAME);
        if (body == null) {
            throw new MalformedWebhookException("$", "the body is empty");
        }
        WebhookJsonFields root = WebhookJsonFields.root(readTree(body), KEPT);
        switch (name) {
            case "ping":
                return ping(delivery, root);
            case "pull_request":
                return pullRequest(delivery, root);
            case "pull_request_review":
                return review(delivery, root);
            case "issue_comment":
                return comment(delivery, root);
            case "membership":
            case "team":
            case "organization":
                return membership(delivery, name, root);
            default:
                return new WebhookEvent.Ignored(delivery, name,
                        "event '" + name + "' is not used by Tidegate");
        }
    }

    private static String header(String header, String value, Pattern shape)
            throws MalformedWebhookException {
        if (value == null || value.isBlank()) {
            throw new MalformedWebhookException(header, "header is missing");
        }
        String v = value.trim();
        if (!shape.matcher(v).matches()) {
            throw new MalformedWebhookException(header, "unexpected value '" + shorten(v) + "'");
        }
        return v;
    }

    private static JsonNode readTree(byte[] body) throws MalformedWebhookException {
        if (body.length == 0) {
            throw new MalformedWebhookException("$", "the body is empty");
        }
        try {
            return KeptJsonReader.read(body, KEPT);
        } catch (KeptJsonReader.SyntaxException e) {
            throw new MalformedWebhookException("$", "not valid JSON: " + e.getMessage() + " "
                    + e.where());
        }
    }

    private static WebhookEvent ping(String delivery, WebhookJsonFields root)
            throws MalformedWebhookException {
        Optional<String> repo = root.optionalObject("repository").isPresent()
                ? Optional.of(repo(root))
                : Optional.empty();
        return new WebhookEvent.Ping(delivery, root.optionalText("zen").orElse(""),
                root.id("hook_id"), repo);
    }

    private static WebhookEvent pullRequest(String delivery, WebhookJsonFields root)
            throws MalformedWebhookException {
        String action = root.text("action");
        if (!PULL_REQUEST_ACTIONS.contains(action)) {
            return new WebhookEvent.Ignored(delivery, "pull_request",
                    "pull_request action '" + shorten(action) + "' is not used by Tidegate");
        }
        WebhookJsonFields pr = root.object("pull_request");
        String repo = repo(root);
        WebhookJsonFields head = pr.object("head");
        return new WebhookEvent.PullRequestEvent(delivery, action, facts(repo, pr),
                head.text("ref"), isFork(pr), pr.bool("merged", false),
                root.object("sender").text("login"), installationId(root));
    }

    /** The PR as the decision reads it, from a webhook's {@code pull_request} object. */
    private static PullRequest facts(String repo, WebhookJsonFields pr) throws MalformedWebhookException {
        Set<String> labels = new LinkedHashSet<>();
        for (WebhookJsonFields label : pr.objects("labels")) {
            labels.add(label.text("name"));
        }
        return new PullRequest(repo, pr.number("number"), pr.object("base").text("ref"),
                sha(pr.object("head"), "sha"), pr.object("user").text("login"),
                pr.bool("draft", false), labels, pr.optionalText("body").orElse(""),
                pr.optionalText("title").orElse(""));
    }

    /** A fork's head lives in another repository; a deleted fork leaves {@code head.repo} null. */
    private static boolean isFork(WebhookJsonFields pr) throws MalformedWebhookException {
        Optional<WebhookJsonFields> headRepo = pr.object("head").optionalObject("repo");
        Optional<WebhookJsonFields> baseRepo = pr.object("base").optionalObject("repo");
        if (headRepo.isEmpty() || baseRepo.isEmpty()) {
            return true;
        }
        return !headRepo.get().text("full_name").equals(baseRepo.get().text("full_name"));
    }

    private static WebhookEvent review(String delivery, WebhookJsonFields root)
            throws MalformedWebhookException {
        String action = root.text("action");
        if (!REVIEW_ACTIONS.contains(action)) {
            return new WebhookEvent.Ignored(delivery, "pull_request_review",
                    "pull_request_review action '" + shorten(action)
                            + "' is not used by Tidegate");
        }
        WebhookJsonFields review = root.object("review");
        WebhookJsonFields pr = root.object("pull_request");
        Optional<String> commit = review.has("commit_id")
                ? Optional.of(sha(review, "commit_id")) : Optional.empty();
        return new WebhookEvent.ReviewEvent(delivery, action,
                repo(root), pr.number("number"),
                sha(pr.object("head"), "sha"), review.id("id"),
                review.object("user").text("login"), reviewState(review), commit,
                submittedAt(review), installationId(root));
    }

    /** Webhooks spell states in lowercase ({@code approved}), the REST API in uppercase. */
    static Review.State reviewState(WebhookJsonFields review) throws MalformedWebhookException {
        String state = review.text("state");
        try {
            return Review.State.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new MalformedWebhookException(review.path("state"),
                    "unknown review state '" + shorten(state) + "'");
        }
    }

    private static WebhookEvent comment(String delivery, WebhookJsonFields root)
            throws MalformedWebhookException {
        String action = root.text("action");
        if (!"created".equals(action)) {
            return new WebhookEvent.Ignored(delivery, "issue_comment",
                    "issue_comment action '" + shorten(action) + "' is not used by Tidegate");
        }
        WebhookJsonFields issue = root.object("issue");
        int number = issue.number("number");
        // GitHub marks an issue that is a pull request with a pull_request object.
        if (issue.optionalObject("pull_request").isEmpty()) {
            return new WebhookEvent.Ignored(delivery, "issue_comment",
                    "comment on issue #" + number + ", which is not a pull request");
        }
        WebhookJsonFields comment = root.object("comment");
        WebhookJsonFields user = comment.object("user");
        boolean bot = "Bot".equals(user.optionalText("type").orElse(""));
        return new WebhookEvent.CommentEvent(delivery,
                repo(root), number, comment.id("id"),
                user.text("login"), bot, comment.optionalText("body").orElse(""),
                installationId(root));
    }

    private static WebhookEvent membership(String delivery, String event, WebhookJsonFields root)
            throws MalformedWebhookException {
        String action = root.text("action");
        String org = root.object("organization").text("login");
        if ("organization".equals(event)) {
            if (!ORGANIZATION_ACTIONS.contains(action)) {
                return new WebhookEvent.Ignored(delivery, event,
                        "organization action '" + shorten(action) + "' is not used by Tidegate");
            }
            String login = root.object("membership").object("user").text("login");
            return new WebhookEvent.MembershipChange(delivery, event, action, org,
                    Optional.empty(), Optional.of(login));
        }
        String team = org + "/" + root.object("team").text("slug");
        Optional<String> login = "membership".equals(event)
                ? Optional.of(root.object("member").text("login")) : Optional.empty();
        return new WebhookEvent.MembershipChange(delivery, event, action, org,
                Optional.of(team), login);
    }

    /** The base repository's {@code owner/name}, in the shape the API accepts. */
    private static String repo(WebhookJsonFields root) throws MalformedWebhookException {
        WebhookJsonFields repository = root.object("repository");
        String name = repository.text("full_name");
        if (!GitHubApi.REPO.matcher(name).matches()) {
            throw new MalformedWebhookException(repository.path("full_name"),
                    "expected owner/name, found '" + shorten(name) + "'");
        }
        return name;
    }

    /** GitHub's {@code submitted_at}: ISO-8601; absent or null is unknown. */
    private static Optional<Instant> submittedAt(WebhookJsonFields review)
            throws MalformedWebhookException {
        Optional<String> at = review.optionalText("submitted_at");
        try {
            return at.map(t -> OffsetDateTime.parse(t).toInstant());
        } catch (DateTimeParseException e) {
            throw new MalformedWebhookException(review.path("submitted_at"),
                    "expected an ISO-8601 time such as 2026-11-22T10:00:00Z");
        }
    }

    private static Optional<Long> installationId(WebhookJsonFields root)
            throws MalformedWebhookException {
        Optional<WebhookJsonFields> installation = root.optionalObject("installation");
        return installation.isEmpty() ? Optional.empty()
                : Optional.of(installation.get().id("id"));
    }

    private static String sha(WebhookJsonFields parent, String name) throws MalformedWebhookException {
        String sha = parent.text(name);
        if (!SHA.matcher(sha).matches()) {
            throw new MalformedWebhookException(parent.path(name),
                    "expected a commit SHA (40 or 64 lowercase hex digits)");
        }
        return sha;
    }

    private static String shorten(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_MESSAGE ? oneLine
                : oneLine.substring(0, MAX_MESSAGE) + "…";
    }
}
