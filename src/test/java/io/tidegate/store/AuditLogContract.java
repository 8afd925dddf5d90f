package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The organisation-wide audit read and the policy versions, the same on both engines: oldest
 * first, filters, a cursor that pages without loss or repeat while records are appended, ids
 * that find their record, versions kept once by hash and checked on read.
 */
abstract class AuditLogContract {
    static final Instant T0 = Instant.parse("2026-11-20T09:00:00Z");

    Store store;

    abstract Store openStore() throws Exception;

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    static AuditRecord decision(Instant t, String repo, int pr, String env, String verdict) {
        return new AuditRecord(t, repo, pr, "abc", "network", env, "apply", "alice", verdict,
                verdict.equals("deny") ? List.of("approvals-missing") : List.of(),
                "sha256:1", "{\"n\":" + pr + "}");
    }

    private List<AuditEntry> readAll(AuditQuery q, int pageSize) {
        List<AuditEntry> out = new ArrayList<>();
        AuditQuery next = q;
        while (true) {
            AuditPage page = store.auditLog().page(next, pageSize);
            out.addAll(page.entries());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            next = next.after(page.nextCursor());
        }
    }

    private static List<Integer> prs(List<AuditEntry> entries) {
        return entries.stream().map(e -> e.record().pr()).toList();
    }

    @Test
    void organisationWideReadIsOldestFirstAcrossRepositoriesAndPagesWithoutLossOrRepeat() {
        for (int i = 0; i < 25; i++) {
            store.audit().append(decision(T0.plusSeconds(i), i % 2 == 0 ? "acme/a" : "acme/b",
                    i + 1, "production", "allow"));
        }
        List<AuditEntry> all = readAll(AuditQuery.all(), 7);
        assertThat(prs(all)).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, 25).boxed().toList());
        assertThat(all.stream().map(AuditEntry::id).distinct()).hasSize(25);
        assertThat(store.auditLog().forEach(AuditQuery.all(), e -> {})).isEqualTo(25);
    }

    @Test
    void sinceIsInclusiveUntilExclusiveAndFiltersCombine() {
        store.audit().append(decision(T0, "acme/a", 1, "production", "deny"));
        store.audit().append(decision(T0.plusSeconds(10), "acme/a", 2, "staging", "deny"));
        store.audit().append(decision(T0.plusSeconds(20), "acme/b", 3, "production", "allow"));
        store.audit().append(decision(T0.plusSeconds(30), "acme/a", 4, "production", "deny"));
        AuditQuery period = AuditQuery.all().since(T0.plusSeconds(10)).until(T0.plusSeconds(30));
        assertThat(prs(readAll(period, 10))).containsExactly(2, 3);
        assertThat(prs(readAll(AuditQuery.all().environment("production").decision("deny"), 1)))
                .containsExactly(1, 4);
        assertThat(prs(readAll(AuditQuery.all().pullRequest("acme/a", 2), 5)))
                .containsExactly(2);
        assertThat(prs(readAll(AuditQuery.all().repo("acme/b"), 5))).containsExactly(3);
    }

    @Test
    void aCursorStaysValidWhileRecordsAreAppended() {
        for (int i = 0; i < 5; i++) {
            store.audit().append(decision(T0.plusSeconds(i), "acme/a", i + 1, "production",
                    "allow"));
        }
        AuditPage first = store.auditLog().page(AuditQuery.all(), 3);
        store.audit().append(decision(T0.plusSeconds(100), "acme/a", 6, "production", "allow"));
        List<AuditEntry> rest = readAll(AuditQuery.all().after(first.nextCursor()), 3);
        assertThat(prs(first.entries())).containsExactly(1, 2, 3);
        assertThat(prs(rest)).containsExactly(4, 5, 6);
    }

    @Test
    void recordsOfOneMillisecondKeepTheirOrderAndAllArePaged() {
        for (int i = 0; i < 12; i++) {
            store.audit().append(decision(T0, "acme/a", i + 1, "production", "allow"));
        }
        assertThat(readAll(AuditQuery.all(), 5)).hasSize(12)
                .extracting(e -> e.record().pr()).doesNotHaveDuplicates();
    }

    @Test
    void anIdFindsItsRecordAndAStrangeIdFindsNothing() {
        store.audit().append(decision(T0, "acme/a", 1, "production", "allow"));
        store.audit().append(decision(T0.plusSeconds(1), "acme/b", 2, "staging", "deny"));
        AuditEntry second = readAll(AuditQuery.all(), 10).get(1);
        assertThat(store.auditLog().find(second.id())).contains(second);
        assertThat(store.auditLog().find("nope")).isEmpty();
        assertThat(store.auditLog().find("999999")).isEmpty();
    }

    @Test
    void aCursorThatIsNotOursIsRefused() {
        assertThatThrownBy(() -> store.auditLog().page(AuditQuery.all().after(
                Optional.of("%%%")), 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor is malformed");
    }

    @Test
    void eventsShareTheStreamAndSayNoneForTheDecision() {
        store.audit().append(decision(T0, "acme/a", 1, "production", "allow"));
        store.audit().append(new AuditRecord(T0.plusSeconds(1), AuditRecord.NO_REPOSITORY, 0, "",
                "", "", "policy-reload", "tidegate", AuditRecord.NO_DECISION, List.of("loaded"),
                "sha256:2", "{\"kind\":\"policy-reload\"}"));
        List<AuditEntry> all = readAll(AuditQuery.all(), 10);
        assertThat(all).extracting(e -> e.record().kind())
                .containsExactly("decision", "policy-reload");
        assertThat(prs(readAll(AuditQuery.all().decision("none"), 10))).containsExactly(0);
    }

    @Test
    void aPolicyVersionIsKeptOnceByItsHashAndReadBackWhole() {
        PolicyVersion v = PolicyVersion.of(Map.of("policies/policy.yaml", "version: 1\n"), T0);
        assertThat(store.policyVersions().keep(v)).isTrue();
        assertThat(store.policyVersions().keep(PolicyVersion.of(v.files(), T0.plusSeconds(5))))
                .isFalse();
        assertThat(store.policyVersions().find(v.sha256())).contains(v);
        assertThat(store.policyVersions().find("0".repeat(64))).isEmpty();
    }

    @Test
    void aPolicySetOfSeveralLargeFilesIsKeptWhole() {
        // 2 x 700 KB of text that compresses poorly: several DynamoDB parts
        Random random = new Random(7);
        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 700_000; i++) {
            a.append((char) ('a' + random.nextInt(26)));
            b.append((char) ('a' + random.nextInt(26)));
        }
        PolicyVersion v = PolicyVersion.of(Map.of("policies/policy.yaml", a.toString(),
                "policies/repos/acme-infra.yaml", b.toString()), T0);
        store.policyVersions().keep(v);
        assertThat(store.policyVersions().find(v.sha256())).contains(v);
    }

    @Test
    void theHashOfOneFileIsTheHashOfItsText() {
        assertThat(PolicyVersion.hashOf(Map.of("p.yaml", "abc"))).isEqualTo(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(PolicyVersion.hashOf(Map.of("p.yaml", "abc", "q.yaml", "abc")))
                .isNotEqualTo(PolicyVersion.hashOf(Map.of("p.yaml", "abc", "r.yaml", "abc")));
        assertThatThrownBy(() -> new PolicyVersion("0".repeat(64), Map.of("p.yaml", "abc"), T0))
                .hasMessage("policy version " + "0".repeat(64) + " holds text that hashes to "
                        + "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private List<AuditEntry> readNewest(AuditQuery q, int pageSize) {
        List<AuditEntry> out = new ArrayList<>();
        AuditQuery next = q;
        while (true) {
            AuditPage page = store.auditLog().newest(next, pageSize);
            out.addAll(page.entries());
            if (page.nextCursor().isEmpty()) {
                return out;
            }
            next = next.after(page.nextCursor());
        }
    }

    @Test
    void newestFirstIsTheSameEntriesWithTheSameIdsInReverseAndPagesWithoutLossOrRepeat() {
        for (int i = 0; i < 25; i++) {
            // two records in each second: the id orders those of the same time
            store.audit().append(decision(T0.plusSeconds(i / 2), i % 2 == 0 ? "acme/a"
                    : "acme/b", i + 1, "production", "allow"));
        }
        List<AuditEntry> oldest = readAll(AuditQuery.all(), 7);
        List<AuditEntry> newest = readNewest(AuditQuery.all(), 7);

        List<AuditEntry> reversed = new ArrayList<>(oldest);
        java.util.Collections.reverse(reversed);
        assertThat(newest).containsExactlyElementsOf(reversed);
        assertThat(store.auditLog().find(newest.get(3).id())).contains(newest.get(3));
    }

    @Test
    void newestFirstNarrowsByRepositoryPullRequestEnvironmentVerdictAndPeriod() {
        store.audit().append(decision(T0, "acme/a", 1, "production", "deny"));
        store.audit().append(decision(T0.plusSeconds(10), "acme/a", 2, "staging", "deny"));
        store.audit().append(decision(T0.plusSeconds(20), "acme/b", 3, "production", "allow"));
        store.audit().append(decision(T0.plusSeconds(30), "acme/a", 4, "production", "deny"));
        store.audit().append(decision(T0.plusSeconds(40), "acme/a", 4, "production", "allow"));

        assertThat(prs(readNewest(AuditQuery.all().repo("acme/a"), 2)))
                .containsExactly(4, 4, 2, 1);
        assertThat(prs(readNewest(AuditQuery.all().pullRequest("acme/a", 4), 1)))
                .containsExactly(4, 4);
        assertThat(prs(readNewest(AuditQuery.all().environment("production").decision("deny"),
                1))).containsExactly(4, 1);
        assertThat(prs(readNewest(AuditQuery.all().since(T0.plusSeconds(10))
                .until(T0.plusSeconds(40)), 10))).containsExactly(4, 3, 2);
        assertThat(prs(readNewest(AuditQuery.all().repo("acme/a").since(T0.plusSeconds(10))
                .until(T0.plusSeconds(40)), 1))).containsExactly(4, 2);
        assertThatThrownBy(() -> store.auditLog().newest(AuditQuery.all().after(
                Optional.of("not a cursor")), 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cursor is malformed");
    }
}
