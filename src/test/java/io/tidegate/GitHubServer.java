package io.tidegate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import io.tidegate.github.WebhookSignature;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import io.tidegate.secret.Secret;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;

/**
 * The real server ({@link Server#start(Config, java.time.Clock)}, port 0, SQLite in a temp dir,
 * the repository's {@code policies/policy.yaml}) against a {@link FakeGitHub}, with helpers to
 * send webhooks signed as GitHub signs them and a second store handle for test data.
 */
final class GitHubServer implements AutoCloseable {
    static final String SECRET = "webhook-secret-for-tests";

    final FakeGitHub github;
    final TestClock clock;
    final Server.Running running;
    final Store store;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final WebhookSignature signature = new WebhookSignature(SECRET);

    GitHubServer(Path dir, FakeGitHub github, TestClock clock, String secret) throws IOException {
        this(dir, github, clock, secret, Path.of("policies/policy.yaml"));
    }

    /** The same with another policy file (e.g. a {@code repos:} file). */
    GitHubServer(Path dir, FakeGitHub github, TestClock clock, String secret, Path policy)
            throws IOException {
        this.github = github;
        this.clock = clock;
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Config config = new Config(
                new Config.Server("127.0.0.1", 0, Duration.ofSeconds(5), Config.LogFormat.TEXT,
                        new Secret("api-token"), false),
                policy,
                new Config.GitHub(new Config.GitHubAuth.Token(new Secret(FakeGitHub.TOKEN)),
                        URI.create(github.base()), new Secret(secret)),
                new Config.Storage(Config.StoreKind.SQLITE, data, "us-east-1", Optional.empty(),
                        false, "tidegate"),
                Secret.ABSENT, false);
        this.running = Server.start(config, clock);
        this.store = SqliteStore.openIn(data);
    }

    URI webhooks() {
        return URI.create("http://127.0.0.1:" + running.port() + "/webhooks/github");
    }

    HttpResponse<String> send(String event, byte[] body) throws Exception {
        return send(event, UUID.randomUUID().toString(), body, signature.signatureOf(body));
    }

    HttpResponse<String> send(String event, String delivery, byte[] body, String signature)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(webhooks())
                .header("Content-Type", "application/json")
                .header("X-GitHub-Event", event)
                .header("X-GitHub-Delivery", delivery)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header(WebhookSignature.HEADER, signature);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Waits (polling) until the condition holds; fails with {@code what} after 60 s. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        Poll.until(what, condition::getAsBoolean);
    }

    /** Waits until the inbox has nothing left to do. */
    void awaitInboxIdle() throws InterruptedException {
        await("an idle inbox", () -> store.inbox().countPending() == 0);
    }

    @Override
    public void close() {
        running.close();
        store.close();
    }
}
