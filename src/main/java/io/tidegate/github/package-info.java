/**
 * Tidegate's GitHub adapter: the only package that imports {@code org.kohsuke.github}. It turns
 * GitHub's webhooks and API into our records, and writes what Tidegate shows on a pull request.
 * It decides nothing: the engine does.
 *
 * <h2>Intake (pure, no I/O)</h2>
 * <ul>
 *   <li>{@link io.tidegate.github.WebhookSignature}: checks {@code X-Hub-Signature-256} over the
 *       raw body (HMAC-SHA256, constant-time); no secret configured means every delivery is
 *       refused. Throws {@link io.tidegate.github.InvalidSignatureException} (→ 401).</li>
 *   <li>{@link io.tidegate.github.WebhookParser}: raw body + {@code X-GitHub-Event} +
 *       {@code X-GitHub-Delivery} → a sealed {@link io.tidegate.github.WebhookEvent}
 *       ({@code PullRequestEvent}, {@code ReviewEvent}, {@code CommentEvent}, {@code Ping},
 *       {@code MembershipChange}, or {@code Ignored} with the reason, → 202). Anything else is a
 *       {@link io.tidegate.github.MalformedWebhookException} naming the JSON path (→ 400); no
 *       other exception escapes, whatever the bytes.</li>
 *   <li>{@link io.tidegate.github.CommentCommandParser}: a comment → a sealed
 *       {@link io.tidegate.github.CommentCommand} ({@code atlantis plan|apply ...},
 *       {@code tidegate explain|override|help}, a polite {@code Invalid} with usage, or
 *       {@code NotACommand}). Strict: quotes group words, nothing else is interpreted.</li>
 * </ul>
 *
 * <h2>Reading facts</h2>
 * {@link io.tidegate.github.PullRequests} (interface; fakes in tests) is implemented by
 * {@link io.tidegate.github.GitHubPullRequests}: the PR as {@code decision.PullRequest}, all
 * reviews as {@code decision.Review} (every page, submission order, with the reviewed commit),
 * and team memberships ({@code org/slug}, active only, cached with a TTL and
 * {@code invalidate(MembershipChange)}). Every failure is a
 * {@link io.tidegate.github.GitHubException} saying what could not be gathered and why
 * ({@code failure()}, {@code isRetryable()}); the caller denies.
 *
 * <h2>Writing</h2>
 * {@link io.tidegate.github.PullRequestWriter}: {@code upsertStickyComment} (found by a hidden
 * marker, edited only when it changed, cut by {@link io.tidegate.github.CommentLimit} to 65,536
 * characters by dropping whole sections), {@code setStatus} (written only when the latest status
 * of the context differs; {@link io.tidegate.github.CommitStatus} keeps the description within
 * 140 characters), {@code replyToComment}. Each method is one idempotent attempt; the outbox
 * retries. {@link io.tidegate.github.GitHubPullRequestWriter} writes through the API;
 * {@link io.tidegate.github.LoggingPullRequestWriter} is the dry run (no credentials, or
 * {@code TIDEGATE_DRY_RUN}).
 *
 * <h2>The connection</h2>
 * {@link io.tidegate.github.GitHubApi} is the one client, shared by reader and writer: hub4j
 * 1.330 ({@code github-api}) over {@code OkHttpGitHubConnector}, a personal token or hub4j's App
 * authentication ({@code JWTTokenProvider}, {@code AppInstallationAuthorizationProvider}:
 * installation tokens renewed five minutes before expiry, installation looked up once per
 * repository or organisation when not configured),
 * {@link io.tidegate.github.GitHubSettings#apiUrl()} for Enterprise and tests. One OkHttp client
 * carries everything: {@code ConditionalRequests} makes every GET conditional on the ETag kept in
 * memory (a 304 costs no rate limit; no disk, no token kept), and {@code CallPolicy} is the one
 * retry path (5xx and timeouts retried for GET only with doubling backoff;
 * {@code Retry-After} / {@code X-RateLimit-Reset} waited out when short, else an immediate
 * {@code RATE_LIMITED}, and a spent credential is not used again until its reset; hub4j's own
 * rate-limit waits are off and its connection retries never see a socket exception). Every
 * failure, hub4j's {@code HttpException} included, becomes one
 * {@link io.tidegate.github.GitHubException} ({@code GitHubApi.translate}). Metrics:
 * {@code tidegate.github.api.calls} by {@code outcome} and {@code method} (only requests
 * that reached GitHub, plus {@code refused_rate_limited}) and the gauge
 * {@code tidegate.github.rate.limit.remaining}. {@link io.tidegate.github.GitHubWait} adds up, per
 * thread, the time spent waiting for GitHub, so the gate can report its own time apart.
 *
 * <p>A few reads are plain JSON calls ({@code JsonCalls}) on the same client, headers and error
 * mapping, where hub4j 1.330 would cost more requests: reviews (hub4j reads
 * {@code GET /users/{login}} per reviewer), changed files (hub4j reads the PR first), team
 * memberships (hub4j reads the org, team and user first, and counts a pending invitation as a
 * member), a commit's tree (hub4j reads the whole diff) and the combined status (hub4j has none).
 *
 * <p>Cost of one re-evaluation (facts, memberships of three people in two teams, sticky comment,
 * one status), measured by {@code ApiCallBudgetTest}: 14 requests cold, 6 warm when nothing
 * changed, all answered 304. A gate decision on a warm PR: 2 (the PR and its reviews).
 *
 * <p>Wiring, in {@code wiring.GitHubWiring}: one {@code GitHubApi.connect(settings, sharedOkHttp, registry,
 * Clock.systemUTC())}, then {@code new GitHubPullRequests(api, clock)} and either
 * {@code new GitHubPullRequestWriter(api)} or {@code new LoggingPullRequestWriter()}.
 */
package io.tidegate.github;
