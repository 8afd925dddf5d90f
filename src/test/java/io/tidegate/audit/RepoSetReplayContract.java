package io.tidegate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.decision.Decision;
import io.tidegate.decision.DecisionEngine;
import io.tidegate.decision.Facts;
import io.tidegate.policy.PolicyFiles;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.review.AuditEvents;
import io.tidegate.review.DecisionRecorder;
import io.tidegate.review.PolicyHolder;
import io.tidegate.review.PolicyVersions;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.PolicyVersion;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Decisions under a {@code repos:} policy set, recorded as the server records them (the policy
 * holder keeping each version it loads, the recorder naming the set and the file that decided),
 * replay the same from the store on either engine, whatever the files on disk say since; rows
 * of before policy sets were kept replay or say exactly what is missing.
 */
abstract class RepoSetReplayContract {
    static final Instant T = AuditHistory.MONDAY_10_KST;
    static final String ROOT = """
            version: 1
            repos:
              - match: ["acme/infra"]
                policy: infra.yaml
              - match: ["acme/*"]
                policy: web.yaml
            """;

    @TempDir
    Path dir;
    Store store;
    PolicyHolder holder;
    DecisionRecorder recorder;

    abstract Store openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
        Files.copy(Path.of("policies/policy.yaml"), dir.resolve("infra.yaml"));
        Files.writeString(dir.resolve("web.yaml"), AuditHistory.productionNeeding(1));
        Files.writeString(dir.resolve("repos.yaml"), ROOT);
        Clock clock = Clock.fixed(T, ZoneOffset.UTC);
        holder = new PolicyHolder(dir.resolve("repos.yaml"), clock, new SimpleMeterRegistry(),
                Duration.ZERO, new AuditEvents(store.audit(), store.policyVersions())
                        ::policyReloaded);
        recorder = new DecisionRecorder(store.audit(), new SimpleMeterRegistry(),
                new PolicyVersions(store.policyVersions(), holder::files, clock),
                holder::decidingFile);
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** As the gate does: the repository's policy decides, the recorder writes the row. */
    void decide(String repo, int number, String... approvers) {
        Facts facts = AuditHistory.facts(repo, number, AuditHistory.PROD, false, approvers);
        PolicySet policy = holder.current().forRepo(repo);
        Instant at = T.plusSeconds(number);
        recorder.record(policy, facts, DecisionEngine.decide(policy, facts, at), at,
                Optional.empty());
    }

    List<AuditEntry> decisions() {
        List<AuditEntry> out = new ArrayList<>();
        store.auditLog().forEach(AuditQuery.all().decision("allow"), out::add);
        store.auditLog().forEach(AuditQuery.all().decision("deny"), out::add);
        out.sort(java.util.Comparator.comparing(e -> e.record().time()));
        return out;
    }

    List<String> replayAll() {
        Replayer replayer = new Replayer(store.policyVersions(), Replayer.Decider.ENGINE);
        return decisions().stream().map(e -> {
            ReplayResult r = replayer.replay(e);
            return e.record().repo() + "#" + e.record().pr() + " " + e.record().decision() + " "
                    + r.status().word() + r.note().map(n -> ": " + n).orElse("");
        }).toList();
    }

    String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void decisionsUnderEachFileOfTheSetReplayTheSameAfterTheFilesOnDiskChanged()
            throws Exception {
        String set = PolicyFiles.sha256Of(Map.of(file("repos.yaml"), ROOT,
                file("infra.yaml"), Files.readString(dir.resolve("infra.yaml")),
                file("web.yaml"), Files.readString(dir.resolve("web.yaml"))));
        decide("acme/infra", 1, "lead1"); // infra.yaml: production needs 2 approvals
        decide("acme/web", 2, "lead1"); // web.yaml: 1 is enough
        decide("other/x", 3, "lead1"); // no entry matches
        // infra.yaml edited alone: a new version of the set decides from now on
        Files.writeString(dir.resolve("infra.yaml"), AuditHistory.productionNeeding(1));
        holder.reload();
        decide("acme/infra", 4, "lead1");
        Files.writeString(dir.resolve("web.yaml"), AuditHistory.productionNeeding(5));
        Files.delete(dir.resolve("infra.yaml"));

        assertThat(decisions()).extracting(e -> e.record().policyHash()).first()
                .isEqualTo("sha256:" + set + " " + file("infra.yaml"));
        assertThat(decisions()).extracting(e -> e.record().policyHash()).element(2)
                .isEqualTo("sha256:" + set);
        assertThat(store.policyVersions().find(set).orElseThrow().files().keySet())
                .containsExactlyInAnyOrder(file("repos.yaml"), file("infra.yaml"),
                        file("web.yaml"));
        assertThat(replayAll()).containsExactly(
                "acme/infra#1 deny same",
                "acme/web#2 allow same",
                "other/x#3 deny same",
                "acme/infra#4 allow same");
    }

    /** A reload between a decision and its row must not pair the old set with a new file. */
    @Test
    void aRowWrittenAfterAReloadNamesTheSetThatDecidedAndNoFileOfTheNewOne() throws Exception {
        Facts facts = AuditHistory.facts("acme/web", 7, AuditHistory.PROD, false, "lead1");
        PolicySet decided = holder.current().forRepo("acme/web");
        Decision decision = DecisionEngine.decide(decided, facts, T);
        // reloaded before the row is written: acme/* is now decided by infra.yaml
        Files.writeString(dir.resolve("repos.yaml"),
                ROOT.replace("policy: web.yaml", "policy: infra.yaml"));
        holder.reload();
        recorder.record(decided, facts, decision, T, Optional.empty());

        assertThat(decisions()).extracting(e -> e.record().policyHash())
                .containsExactly("sha256:" + decided.sha256());
        assertThat(replayAll()).containsExactly("acme/web#7 allow same");
    }

    @Test
    void rowsOfBeforePolicySetsWereKeptSayWhichVersionOrFilesAreMissing() throws Exception {
        decide("acme/infra", 1, "lead1");
        AuditRecord made = decisions().get(0).record();
        String infra = PolicyParser.sha256(Files.readString(dir.resolve("infra.yaml")));
        String root = PolicyParser.sha256(ROOT);
        // before: the row named the deciding file's own hash; the root was kept alone
        store.audit().append(withHash(made, 2, "sha256:" + infra + " " + file("infra.yaml")));
        store.policyVersions().keep(PolicyVersion.of(Map.of(file("repos.yaml"), ROOT), T));
        store.audit().append(withHash(made, 3, "sha256:" + root));

        assertThat(replayAll()).containsExactly(
                "acme/infra#1 deny same",
                "acme/infra#2 deny not-replayable: policy version sha256:" + infra + " is not "
                        + "kept in the store (decided before Tidegate kept policy versions, or in "
                        + "another store); the row names " + file("infra.yaml") + " under repos:, "
                        + "and rows recorded before Tidegate kept the whole policy set (root and "
                        + "named files) name that file's own hash, never kept",
                "acme/infra#3 deny not-replayable: policy version sha256:" + root + " ["
                        + file("repos.yaml") + "] lacks the files its repos: names: "
                        + file("infra.yaml") + ", " + file("web.yaml") + " (kept before "
                        + "Tidegate kept the policy set as one version)");
    }

    private static AuditRecord withHash(AuditRecord r, int pr, String policyHash) {
        return new AuditRecord(r.time().plusSeconds(pr), r.repo(), pr, r.headSha(), r.project(),
                r.environment(), r.command(), r.actor(), r.decision(), r.reasonCodes(),
                policyHash, r.factsJson());
    }
}
