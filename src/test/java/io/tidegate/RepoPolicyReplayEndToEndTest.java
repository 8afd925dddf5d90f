package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.tidegate.audit.AuditHistory;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.Server;
import io.tidegate.audit.ReplayResult;
import io.tidegate.audit.Replayer;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Reason;
import io.tidegate.decision.ReasonCode;
import io.tidegate.policy.PolicyFiles;
import io.tidegate.store.AuditArchive;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.SqliteStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 with a {@code repos:} policy set: the running server decides through the real hook
 * under {@code policies/repos.yaml}, which gives {@code acme/infra} to {@code infra.yaml} (the
 * repository's policy) and every other {@code acme} repository to {@code web.yaml}. Every
 * decision names the set's version and the file that decided, and replays the same from the
 * store, also after {@code infra.yaml} changed on disk; an engine without a rule is caught.
 */
@Tag("slow")
class RepoPolicyReplayEndToEndTest {
    private static final String TOKEN = "tg_e2e_token_0123456789abcdefSECRET";
    private static final String SHA_42 = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String SHA_43 = "e5bd3914e2e596debea16f433f57875b5b90bcd6";
    private static final Instant MONDAY_10_KST = Instant.parse("2026-11-23T01:00:00Z");
    private static final String ROOT = """
            version: 1
            repos:
              - match: ["acme/infra"]
                policy: infra.yaml
              - match: ["acme/*"]
                policy: web.yaml
            """;

    @TempDir
    Path dir;
    Path policies;
    private WireMockServer github;
    private Server.Running tidegate;
    private final TestClock clock = new TestClock(MONDAY_10_KST);

    @BeforeEach
    void start() throws Exception {
        policies = Files.createDirectories(dir.resolve("policies"));
        Files.copy(Path.of("policies/policy.yaml"), policies.resolve("infra.yaml"));
        Files.copy(Path.of("policies/policy.yaml"), policies.resolve("web.yaml"));
        Files.writeString(policies.resolve("repos.yaml"), ROOT);
        github = AtlantisGitHub.start(SHA_42, SHA_43);
        tidegate = Server.start(Config.from(Map.of(
                "TIDEGATE_BIND_ADDRESS", "127.0.0.1",
                "TIDEGATE_PORT", "0",
                "TIDEGATE_API_TOKEN", TOKEN,
                "TIDEGATE_DATA_DIR", dir.resolve("data").toString(),
                "TIDEGATE_POLICY", policies.resolve("repos.yaml").toString(),
                "GITHUB_TOKEN", "ghp_e2eToken0123456789abcdefABCDEF",
                "TIDEGATE_DRY_RUN", "true",
                "GITHUB_API_URL", "http://127.0.0.1:" + github.port())), clock);
        // three decisions: denied without a report, denied for the role, allowed
        assertThat(hook(42, "lead1", "gate", "apply")).startsWith("TIDEGATE: DENY\n");
        assertThat(hook(42, "dev1", "report")).startsWith("prod-environment: plan reported");
        assertThat(hook(42, "dev1", "gate", "apply")).contains("- actor-not-allowed: ");
        assertThat(hook(42, "lead1", "gate", "apply")).startsWith("TIDEGATE: ALLOW\n");
        tidegate.close();
        tidegate = null;
    }

    @AfterEach
    void stop() {
        if (tidegate != null) {
            tidegate.close();
        }
        github.stop();
    }

    @Test
    void everyDecisionNamesTheSetAndTheFileAndReplaysTheSameAfterAReposFileChanged()
            throws Exception {
        String set = PolicyFiles.sha256Of(Map.of(
                policies.resolve("repos.yaml").toString(), ROOT,
                policies.resolve("infra.yaml").toString(),
                Files.readString(policies.resolve("infra.yaml")),
                policies.resolve("web.yaml").toString(),
                Files.readString(policies.resolve("web.yaml"))));
        List<AuditEntry> decisions = decisions();
        assertThat(decisions).hasSize(3).allSatisfy(e -> assertThat(e.record().policyHash())
                .isEqualTo("sha256:" + set + " " + policies.resolve("infra.yaml")));
        assertThat(ReplayCheck.everyDecisionReplaysTheSame(dir.resolve("data"))).isEqualTo(3);

        // production now needs 5 approvals on disk: the recorded version still decides
        Files.writeString(policies.resolve("infra.yaml"), AuditHistory.productionNeeding(5));
        Files.delete(policies.resolve("web.yaml"));

        assertThat(ReplayCheck.everyDecisionReplaysTheSame(dir.resolve("data"))).isEqualTo(3);
    }

    @Test
    void anEngineWithoutTheRoleRuleReportsTheDifference() {
        Replayer.Decider withoutRoleRule = (policy, facts, now) -> {
            Decision d = DecisionEngine.decide(policy, facts, now);
            List<Reason> kept = d.reasons().stream()
                    .filter(x -> x.code() != ReasonCode.ACTOR_NOT_ALLOWED).toList();
            return kept.stream().anyMatch(Reason::isBlocking)
                    ? new Decision.Deny(kept, d.assessment())
                    : new Decision.Allow(kept, d.assessment());
        };
        List<String> different = new ArrayList<>();
        try (AuditArchive archive = SqliteStore.openAuditReadOnly(dir.resolve("data")
                .resolve(SqliteStore.FILE_NAME))) {
            Replayer replayer = new Replayer(archive.policyVersions(), withoutRoleRule);
            for (AuditEntry e : decisions()) {
                ReplayResult r = replayer.replay(e);
                if (r.status() != ReplayResult.Status.SAME) {
                    different.add(e.record().actor() + " " + r.status().word() + " "
                            + r.differences());
                }
            }
        }
        assertThat(different).containsExactly("dev1 different [verdict: deny -> allow, "
                + "reasons: [actor-not-allowed] -> []]");
    }

    private List<AuditEntry> decisions() {
        List<AuditEntry> out = new ArrayList<>();
        try (AuditArchive archive = SqliteStore.openAuditReadOnly(dir.resolve("data")
                .resolve(SqliteStore.FILE_NAME))) {
            archive.log().forEach(AuditQuery.all(), e -> {
                if (e.record().isDecision()) {
                    out.add(e);
                }
            });
        }
        return out;
    }

    /** The real hook with what Atlantis sets for {@code atlantis apply -p prod-environment}. */
    private String hook(int pr, String user, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "atlantis/tidegate-hook"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(AtlantisRunStep.applyProd(pr, SHA_42, user, tidegate.port(),
                TOKEN));
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tidegate-hook did not finish within 60 s");
        }
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
}
