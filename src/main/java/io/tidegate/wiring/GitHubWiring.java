package io.tidegate.wiring;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.tidegate.github.CommentCommandParser;
import io.tidegate.github.GitHubApi;
import io.tidegate.github.GitHubCredentials;
import io.tidegate.github.GitHubException;
import io.tidegate.github.GitHubPullRequestWriter;
import io.tidegate.github.GitHubPullRequests;
import io.tidegate.github.GitHubSettings;
import io.tidegate.github.LoggingPullRequestWriter;
import io.tidegate.github.PullRequestFacts;
import io.tidegate.github.PullRequestWriter;
import io.tidegate.github.PullRequests;
import io.tidegate.github.WebhookEvent;
import io.tidegate.github.WebhookSignature;
import io.tidegate.http.GitHubWebhookRoutes;
import io.tidegate.http.RouteGroup;
import io.tidegate.notify.NotificationPublisher;
import io.tidegate.review.CommentCommands;
import io.tidegate.review.GitHubEffects;
import io.tidegate.review.InboxReviewRequests;
import io.tidegate.review.LiveSnapshotSource;
import io.tidegate.review.NoCredentialsReview;
import io.tidegate.review.PolicySource;
import io.tidegate.review.PullRequestReview;
import io.tidegate.review.PullRequestUrls;
import io.tidegate.review.ReviewInboxHandler;
import io.tidegate.review.ReviewRequests;
import io.tidegate.review.ReviewScheduler;
import io.tidegate.review.SnapshotSource;
import io.tidegate.review.WebhookIntake;
import io.tidegate.store.EffectPerformer;
import io.tidegate.store.InboxHandler;
import io.tidegate.store.Store;
import okhttp3.OkHttpClient;

/**
 * The GitHub side of {@link Server#start}, built with plain constructors: the API connection (or
 * none without credentials), the PR reader and writer (logging only in dry run), the snapshot
 * source, the review and comment-command handling behind the inbox, the effect performers and
 * the webhook route.
 */
record GitHubWiring(
        PullRequests pullRequests,
        SnapshotSource snapshots,
        ReviewRequests reviewRequests,
        InboxHandler handler,
        ReviewScheduler scheduler,
        Map<String, EffectPerformer> performers,
        RouteGroup webhooks,
        List<AutoCloseable> closeables) {

    static GitHubWiring build(Config config, Store store, PolicySource policies,
            OkHttpClient http, MeterRegistry registry, ObjectMapper json, Clock clock,
            NotificationPublisher notifications, int concurrentWebhookBodies) throws IOException {
        List<AutoCloseable> closeables = new ArrayList<>();
        PullRequests pullRequests;
        PullRequestWriter writer;
        if (config.hasGitHubCredentials()) {
            GitHubApi api = GitHubApi.connect(GitHubSettings.defaults(config.github().apiUrl(),
                    credentials(config.github().auth())), http, registry, clock);
            closeables.add(api);
            pullRequests = new GitHubPullRequests(api, clock);
            writer = config.dryRun() ? new LoggingPullRequestWriter()
                    : new GitHubPullRequestWriter(api);
        } else {
            pullRequests = new NoCredentials();
            writer = new LoggingPullRequestWriter();
        }
        SnapshotSource snapshots = new LiveSnapshotSource(pullRequests, store, policies);
        GitHubEffects effects = new GitHubEffects(store.outbox(), json, clock);
        PullRequestUrls urls = PullRequestUrls.forApi(config.github().apiUrl());
        InboxReviewRequests requests = new InboxReviewRequests(store.inbox(), store.schedule(),
                json, clock);
        // [live] time edges fire re-reviews; each review plans its PR's next edge
        ReviewScheduler scheduler = new ReviewScheduler(store.schedule(), requests, policies,
                clock, ReviewScheduler.RESYNC);
        PullRequestReview review = new PullRequestReview(snapshots, policies, store, effects,
                urls, clock, json, registry, scheduler::planned);
        CommentCommands commands = new CommentCommands(snapshots, policies, store, effects,
                notifications, requests, urls, new CommentCommandParser(config.atlantisUser()), clock);
        // Without credentials nothing can be read and retrying cannot change it: say what can
        // be said (waiting for facts) and finish each event.
        InboxHandler handler = config.hasGitHubCredentials()
                ? new ReviewInboxHandler(review, commands, pullRequests, json)
                : new NoCredentialsReview(policies, effects, urls, json, clock);
        RouteGroup webhooks = new GitHubWebhookRoutes(
                new WebhookSignature(config.github().webhookSecret().value()),
                new WebhookIntake(store, json), registry, clock, concurrentWebhookBodies);
        return new GitHubWiring(pullRequests, snapshots, requests, handler, scheduler,
                effects.performers(writer), webhooks, closeables);
    }

    private static GitHubCredentials credentials(Config.GitHubAuth auth) {
        if (auth instanceof Config.GitHubAuth.Token t) {
            return new GitHubCredentials.PersonalToken(t.token().value());
        }
        Config.GitHubAuth.App app = (Config.GitHubAuth.App) auth;
        return new GitHubCredentials.App(app.appId(), app.privateKeyFile(), app.installationId());
    }

    /** Without credentials nothing can be read: every fact is unavailable, so every gate denies. */
    private static final class NoCredentials implements PullRequests {
        @Override
        public PullRequestFacts facts(String repo, int number) throws GitHubException {
            throw unavailable("read pull request " + repo + "#" + number);
        }

        @Override
        public Map<String, Set<String>> teams(Set<String> logins, Set<String> teams)
                throws GitHubException {
            throw unavailable("read team memberships");
        }

        @Override
        public void invalidate(WebhookEvent.MembershipChange change) {}

        private static GitHubException unavailable(String what) {
            return new GitHubException(what, GitHubException.Failure.UNAUTHORIZED,
                    "no GitHub credentials are configured (GITHUB_TOKEN or GITHUB_APP_ID)", null);
        }
    }
}
