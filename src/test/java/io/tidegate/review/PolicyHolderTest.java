package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidegate.wiring.Json;
import io.tidegate.decision.Command;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.health.Readiness;
import io.tidegate.http.WebServer;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.TestClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running server's policy: reloaded when the file changes, the last good one kept while the
 * file is broken, applies denied and readiness failing meanwhile, never failing open.
 */
class PolicyHolderTest {
    static final Duration EVERY = Duration.ofSeconds(5);
    /** dev-kim may plan and apply project "app" with nothing else required. */
    static final String GOOD = """
            version: 1
            timezone: UTC
            roles:
              devs: { users: [dev-kim] }
            environments:
              dev:
                match: { projects: [app] }
                plan: { allow: [devs] }
                apply: { allow: [devs], window: always }
            """;
    /** The same, but only ops-han may apply. */
    static final String TIGHTER = GOOD.replace("apply: { allow: [devs]", "apply: { allow: [ops]")
            .replace("roles:\n", "roles:\n  ops: { users: [ops-han] }\n");
    /** A typo'd key on line 4. */
    static final String BROKEN =
            GOOD.replace("roles:\n", "roles:\n  devs2: { users: [x], userz: [y] }\n");
    static final Instant START = Instant.parse("2026-11-23T01:00:00Z");

    @TempDir
    Path dir;
    Path file;
    final TestClock clock = new TestClock(START);
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @BeforeEach
    void setUp() {
        file = dir.resolve("policy.yaml");
    }

    static Facts facts(Command command) {
        return new Facts(command, new ProjectRef("app", "app", "default"),
                new PullRequest("acme/infra", 7, "main", "abc1234", "dev-kim", false, Set.of(),
                        ""),
                "dev-kim", Map.of(), List.of(), List.of(), List.of(), List.of());
    }

    static Decision decide(PolicySource source, Command command) {
        return DecisionEngine.decide(source.current(), facts(command), START);
    }

    static List<ReasonCode> codes(Decision d) {
        return d.reasons().stream().map(Reason::code).toList();
    }

    PolicyHolder holder() {
        return new PolicyHolder(file, clock, registry, EVERY);
    }

    /** Writes the file the way an editor or a ConfigMap update does: a new file moved in. */
    void replace(String text) throws IOException {
        Path tmp = dir.resolve("policy.yaml.tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    double reloads(String outcome) {
        var c = registry.find(PolicyHolder.METRIC).tag("outcome", outcome).counter();
        return c == null ? 0 : c.count();
    }

    @Test
    void validFileIsInForceReadyAndCarriesTheFileHash() throws IOException {
        replace(GOOD);
        PolicyHolder h = holder();

        String hash = PolicyParser.sha256(Files.readAllBytes(file));
        assertThat(h.current().sha256()).isEqualTo(hash).hasSize(64);
        assertThat(h.sha256()).isEqualTo(hash);
        assertThat(h.current().fileProblem()).isEmpty();
        assertThat(h.check()).isEqualTo(Readiness.Check.ready("policy",
                "policy " + file + " loaded (sha256 " + hash + ")"));
        assertThat(decide(h, Command.APPLY)).isInstanceOf(Decision.Allow.class);
        assertThat(reloads("loaded")).isEqualTo(1);
    }

    @Test
    void brokenReplacementKeepsLastGoodPolicyDeniesAppliesAndFailsReadinessUntilFixed()
            throws IOException {
        replace(GOOD);
        PolicyHolder h = holder();
        String goodHash = h.sha256();

        replace(BROKEN);
        clock.advance(EVERY);
        Readiness.Check broken = h.check();

        assertThat(broken.ready()).isFalse();
        assertThat(broken.detail()).startsWith("policy " + file + " is invalid: " + file
                + ":4:24: unknown key \"userz\" in role \"devs2\"")
                .endsWith("applies are denied, plans use the last good policy (sha256 "
                        + goodHash + ", loaded " + START + ")");
        PolicySet kept = h.current();
        assertThat(kept.sha256()).isEqualTo(goodHash);
        assertThat(kept.environment("dev")).isPresent();
        Decision apply = decide(h, Command.APPLY);
        assertThat(apply).isInstanceOf(Decision.Deny.class);
        assertThat(codes(apply)).containsExactly(ReasonCode.POLICY_UNAVAILABLE);
        assertThat(apply.reasons().get(0).message()).contains(file + ":4:24: unknown key");
        assertThat(decide(h, Command.PLAN)).isInstanceOf(Decision.Allow.class);

        // many probes of the same bad version: counted (and logged) once
        for (int i = 0; i < 5; i++) {
            clock.advance(EVERY);
            assertThat(h.check().ready()).isFalse();
        }
        assertThat(reloads("invalid")).isEqualTo(1);

        replace(TIGHTER);
        clock.advance(EVERY);
        assertThat(h.check().ready()).isTrue();
        assertThat(h.sha256()).isEqualTo(PolicyParser.sha256(TIGHTER)).isNotEqualTo(goodHash);
        Decision tighter = decide(h, Command.APPLY);
        assertThat(codes(tighter)).containsExactly(ReasonCode.ACTOR_NOT_ALLOWED);
        assertThat(reloads("loaded")).isEqualTo(2);
    }

    @Test
    void invalidAtStartDeniesEveryDecisionNamingTheProblemAndRecoversWhenFixed()
            throws IOException {
        replace(BROKEN);
        PolicyHolder h = holder();

        assertThat(h.sha256()).isEqualTo(PolicySet.NO_POLICY);
        assertThat(h.current().roles()).isEmpty();
        for (Command c : Command.values()) {
            Decision d = decide(h, c);
            assertThat(d).isInstanceOf(Decision.Deny.class);
            assertThat(codes(d)).containsExactly(ReasonCode.POLICY_UNAVAILABLE);
            assertThat(d.reasons().get(0).message()).contains(file + ":4:24:");
        }
        assertThat(h.check().detail()).endsWith(
                "; no valid policy was loaded, every decision is denied");

        replace(GOOD);
        clock.advance(EVERY);
        assertThat(decide(h, Command.APPLY)).isInstanceOf(Decision.Allow.class);
        assertThat(h.check().ready()).isTrue();
    }

    @Test
    void missingFileIsNotReadyAndDeletingItLaterKeepsTheLastGoodPolicy() throws IOException {
        PolicyHolder h = holder();
        assertThat(h.check()).isEqualTo(Readiness.Check.failing("policy", "policy file " + file
                + " does not exist; no valid policy was loaded, every decision is denied"));

        replace(GOOD);
        clock.advance(EVERY);
        assertThat(h.check().ready()).isTrue();

        Files.delete(file);
        clock.advance(EVERY);
        clock.advance(EVERY);
        assertThat(h.check().detail()).startsWith("policy file " + file + " does not exist; "
                + "applies are denied, plans use the last good policy");
        assertThat(h.current().environment("dev")).isPresent();
        assertThat(codes(decide(h, Command.APPLY))).containsExactly(ReasonCode.POLICY_UNAVAILABLE);
        assertThat(reloads("unreadable")).isEqualTo(2); // absent at start, deleted later
    }

    @Test
    void fileIsNotReadAgainBeforeTheCheckIntervalPasses() throws IOException {
        replace(GOOD);
        PolicyHolder h = holder();

        replace(BROKEN);
        clock.advance(EVERY.minusMillis(1));
        assertThat(h.check().ready()).isTrue();
        assertThat(h.current().fileProblem()).isEmpty();

        clock.advance(Duration.ofMillis(1));
        assertThat(h.current().fileProblem()).isPresent();
    }

    /** A root that gives acme/infra to infra.yaml, every other acme repository to web.yaml. */
    static final String REPOS = """
            repos:
              - match: ["acme/infra"]
                policy: infra.yaml
              - match: ["acme/*"]
                policy: web.yaml
            """;

    @Test
    void aReposPolicyIsOneVersionOfEveryFileItNamesAndItsFilesAreKeptForReplay()
            throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), TIGHTER);
        Files.writeString(dir.resolve("web.yaml"), GOOD);
        replace(REPOS);
        List<PolicyHolder.Reload> reloads = new java.util.ArrayList<>();
        PolicyHolder h = new PolicyHolder(file, clock, registry, EVERY, reloads::add);

        Map<String, String> files = Map.of(file.toString(), REPOS,
                dir.resolve("infra.yaml").toString(), TIGHTER,
                dir.resolve("web.yaml").toString(), GOOD);
        String set = io.tidegate.policy.PolicyFiles.sha256Of(files);
        assertThat(h.sha256()).isEqualTo(set);
        assertThat(h.current().forRepo("acme/infra").sha256()).isEqualTo(set);
        assertThat(h.files(set)).contains(files);
        assertThat(h.files(PolicyParser.sha256(REPOS))).isEmpty();
        assertThat(reloads).singleElement().satisfies(r -> {
            assertThat(r.sha256()).contains(set);
            assertThat(r.files()).isEqualTo(files);
        });
        // the same first match a replay of the set makes: infra.yaml lets only ops-han apply
        assertThat(codes(decide(h, Command.APPLY))).contains(ReasonCode.ACTOR_NOT_ALLOWED);
    }

    @Test
    void aNamedFileEditedAloneIsANewVersionPickedUpAtTheNextCheck() throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), TIGHTER);
        Files.writeString(dir.resolve("web.yaml"), GOOD);
        replace(REPOS);
        PolicyHolder h = holder();
        String before = h.sha256();

        Path tmp = dir.resolve("infra.yaml.tmp");
        Files.writeString(tmp, GOOD);
        Files.move(tmp, dir.resolve("infra.yaml"), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
        clock.advance(EVERY);

        assertThat(h.sha256()).isNotEqualTo(before).isEqualTo(
                io.tidegate.policy.PolicyFiles.sha256Of(Map.of(file.toString(), REPOS,
                        dir.resolve("infra.yaml").toString(), GOOD,
                        dir.resolve("web.yaml").toString(), GOOD)));
        assertThat(decide(h, Command.APPLY)).isInstanceOf(Decision.Allow.class);
        assertThat(reloads("loaded")).isEqualTo(2);
    }

    @Test
    void aNamedFileBrokenAloneKeepsTheLastGoodSetAndDeniesApplies() throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), GOOD);
        Files.writeString(dir.resolve("web.yaml"), GOOD);
        replace(REPOS);
        PolicyHolder h = holder();
        String good = h.sha256();

        Files.delete(dir.resolve("web.yaml"));
        clock.advance(EVERY);

        assertThat(h.sha256()).isEqualTo(good);
        assertThat(h.current().fileProblem()).contains("policy " + file + " is invalid: " + file
                + ":5:13: policy file \"" + dir.resolve("web.yaml") + "\" does not exist");
        assertThat(codes(decide(h, Command.APPLY))).contains(ReasonCode.POLICY_UNAVAILABLE);
        assertThat(reloads("invalid")).isEqualTo(1);

        Files.writeString(dir.resolve("web.yaml"), GOOD);
        clock.advance(EVERY);
        assertThat(h.current().fileProblem()).isEmpty();
        assertThat(h.sha256()).isEqualTo(good);
    }

    @Test
    void aSameSizeReplacementKeepingTheOldModifiedTimeIsStillANewVersion() throws IOException {
        // dev-kim -> dev-lee keeps the size, and reproducible deployments (the Nix store, Jib)
        // give every file the same modified time: only the file's identity tells them apart
        String sameSize = GOOD.replace("users: [dev-kim]", "users: [dev-lee]");
        assertThat(sameSize).hasSameSizeAs(GOOD).isNotEqualTo(GOOD);
        java.nio.file.attribute.FileTime anHourAgo = java.nio.file.attribute.FileTime.from(
                Instant.now().minus(Duration.ofHours(1)));
        replace(GOOD);
        Files.setLastModifiedTime(file, anHourAgo);
        PolicyHolder h = holder();
        String first = h.sha256();

        replace(sameSize);
        Files.setLastModifiedTime(file, anHourAgo);
        clock.advance(EVERY);

        assertThat(h.sha256()).isNotEqualTo(first)
                .isEqualTo(PolicyParser.sha256(sameSize.getBytes(StandardCharsets.UTF_8)));
        assertThat(decide(h, Command.APPLY)).isInstanceOf(Decision.Deny.class);
    }

    @Test
    void rewritingTheSameContentIsNoReload() throws IOException {
        replace(GOOD);
        PolicyHolder h = holder();
        replace(GOOD);
        clock.advance(EVERY);
        h.current();
        h.reload();

        assertThat(reloads("loaded")).isEqualTo(1);
        assertThat(h.check().ready()).isTrue();
    }

    @Test
    void bytesThatAreNotUtf8AreALocatedProblemNotAReplacementCharacter() throws IOException {
        byte[] bad = GOOD.replace("dev-kim", "dev-k?m").getBytes(StandardCharsets.UTF_8);
        bad[GOOD.indexOf("dev-kim") + 5] = (byte) 0xC3; // a lead byte with no continuation
        Files.write(file, bad);
        PolicyHolder h = holder();

        assertThat(h.check().detail()).startsWith("policy " + file + " is invalid: " + file
                + ":4:24: not UTF-8 text (byte " + (GOOD.indexOf("dev-kim") + 6) + ")");
    }

    @Test
    void aFileLargerThanAnyPolicyIsNotReadWhole() throws IOException {
        replace(GOOD + "#" + "x".repeat((int) PolicyHolder.MAX_BYTES) + "\n");
        PolicyHolder h = holder();

        assertThat(h.check().detail()).startsWith("policy file " + file + " is "
                + Files.size(file) + " bytes, more than the 1048576 a policy may have");
        assertThat(codes(decide(h, Command.PLAN))).containsExactly(ReasonCode.POLICY_UNAVAILABLE);
    }

    @Test
    void readyzAnswers503NamingTheProblemWhileTheFileIsBroken() throws Exception {
        replace(GOOD);
        PolicyHolder h = holder();
        WebServer web = new WebServer(new WebServer.Settings("127.0.0.1", 0, Duration.ZERO),
                List.of(h), registry, List.of(), Json.mapper());
        int port = web.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest readyz = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/readyz")).build();
            HttpRequest metrics = HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/metrics")).build();
            assertThat(http.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);

            replace(BROKEN);
            clock.advance(EVERY);
            HttpResponse<String> broken = http.send(readyz, HttpResponse.BodyHandlers.ofString());
            assertThat(broken.statusCode()).isEqualTo(503);
            assertThat(broken.body()).contains("\"policy\":{\"ready\":false,\"detail\":\"policy "
                    + file + " is invalid: " + file + ":4:24: unknown key");
            assertThat(http.send(metrics, HttpResponse.BodyHandlers.ofString()).body())
                    .contains("tidegate_policy_reloads_total{outcome=\"invalid\"} 1.0")
                    .contains("tidegate_policy_valid 0.0");

            replace(GOOD);
            clock.advance(EVERY);
            assertThat(http.send(readyz, HttpResponse.BodyHandlers.ofString()).statusCode())
                    .isEqualTo(200);
        } finally {
            web.stop();
        }
    }

    @Test
    void concurrentReadersAlwaysGetAPolicyWhileTheFileFlips() throws Exception {
        replace(GOOD);
        PolicyHolder h = new PolicyHolder(file, Clock.systemUTC(), registry, Duration.ZERO);
        List<Thread> readers = new java.util.ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic
                .AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger applyAllowedOnBroken = new java.util.concurrent
                .atomic.AtomicInteger();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        PolicySet p = h.current();
                        Decision d = DecisionEngine.decide(p, facts(Command.APPLY), START);
                        if (p.fileProblem().isPresent() && d instanceof Decision.Allow) {
                            applyAllowedOnBroken.incrementAndGet();
                        }
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            readers.add(t);
        }
        for (int i = 0; i < 40; i++) {
            replace(i % 2 == 0 ? BROKEN : GOOD + "# version " + i + "\n");
            h.reload();
        }
        stop.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(applyAllowedOnBroken).hasValue(0);
        assertThat(reloads("invalid")).isEqualTo(20);
        assertThat(h.current().fileProblem()).isEmpty();
    }

    @Test
    void readLaterReadsNothingUntilTheFirstReadingRuns() throws IOException {
        replace(GOOD);
        List<PolicyHolder.Reload> seen = new CopyOnWriteArrayList<>();
        PolicyHolder h = PolicyHolder.readLater(file, clock, registry, EVERY, seen::add);

        assertThat(seen).isEmpty();
        assertThat(reloads("loaded")).isZero();
        h.reload();

        assertThat(seen).extracting(PolicyHolder.Reload::outcome).containsExactly("loaded");
        assertThat(h.current().sha256()).isEqualTo(PolicyParser.sha256(Files.readAllBytes(file)));
    }

    @Test
    void readLaterWithNobodyReadingReadsTheFileOnTheFirstQuestion() throws IOException {
        replace(GOOD);
        PolicyHolder h = PolicyHolder.readLater(file, clock, registry, EVERY,
                PolicyHolder.ReloadListener.NONE);

        assertThat(decide(h, Command.APPLY)).isInstanceOf(Decision.Allow.class);
        assertThat(reloads("loaded")).isEqualTo(1);
    }

    /**
     * The server reads its policy on a thread of its own while the rest starts: a decision or a
     * readiness check asked meanwhile waits for that reading, it never gets the "not read yet"
     * placeholder (which would deny an apply the policy allows, or fail readiness for nothing).
     */
    @Test
    void aQuestionAskedDuringTheFirstReadingWaitsForIt() throws Exception {
        replace(GOOD);
        var recording = new CountDownLatch(1);
        var release = new CountDownLatch(1);
        PolicyHolder h = PolicyHolder.readLater(file, clock, registry, EVERY, reload -> {
            recording.countDown(); // the policy is parsed; its audit row is being written
            awaitQuietly(release);
        });
        Thread reader = new Thread(h::reload, "first-reading");
        reader.start();
        assertThat(recording.await(10, TimeUnit.SECONDS)).isTrue();

        var decision = CompletableFuture.supplyAsync(
                () -> decide(h, Command.APPLY));
        var readiness = CompletableFuture.supplyAsync(h::check);
        Thread.sleep(200);
        assertThat(decision).isNotDone();
        assertThat(readiness).isNotDone();
        release.countDown();

        assertThat(decision.get(10, TimeUnit.SECONDS))
                .isInstanceOf(Decision.Allow.class);
        assertThat(readiness.get(10, TimeUnit.SECONDS).ready()).isTrue();
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
        assertThat(reloads("loaded")).isEqualTo(1);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
