package io.tidegate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.tidegate.logging.SecretRedactor;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditLog;
import io.tidegate.store.AuditPage;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.SqliteStore;
import io.tidegate.store.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedactedAuditLogTest {
    static final String SECRET = "api-token-123456";
    static final Instant T = Instant.parse("2026-11-20T09:00:00Z");

    @BeforeEach
    void register() {
        SecretRedactor.clear();
        SecretRedactor.register(SECRET);
        SecretRedactor.register("quo\"te\\secret");
    }

    @AfterEach
    void forget() {
        SecretRedactor.clear();
    }

    static AuditRecord row(String actor, String facts) {
        return new AuditRecord(T, "(api)", 0, "", "", "staging", "freeze", actor, "allow",
                List.of("freeze-active"), "sha256:1", facts);
    }

    @Test
    void theActorAndEveryStringOfTheFactsAreMaskedAndTidegatesOwnFieldsAreNot() {
        AuditRecord r = RedactedAuditLog.entry(new AuditEntry("7", row("ops1 " + SECRET,
                "{\"kind\":\"freeze\",\"reason\":\"tokens " + SECRET + " https://u:p@x.y\","
                        + "\"list\":[\"" + SECRET + "\"]}"))).record();
        assertThat(r).isEqualTo(row("ops1 ****", "{\"kind\":\"freeze\",\"reason\":"
                + "\"tokens **** https://****@x.y\",\"list\":[\"****\"]}"));
    }

    @Test
    void aSecretThatJsonEscapesIsMaskedInTheFacts() {
        // stored as quo\"te\\secret: a search of the JSON text for the value misses it
        String facts = "{\"reason\":\"quo\\\"te\\\\secret\"}";
        assertThat(SecretRedactor.redact(facts)).isEqualTo(facts);
        assertThat(RedactedAuditLog.facts(facts)).isEqualTo("{\"reason\":\"****\"}");
    }

    @Test
    void keysOfTheFactsAreMaskedToo() {
        assertThat(RedactedAuditLog.facts("{\"teams\":{\"" + SECRET + "\":[\"acme/x\"]}}"))
                .isEqualTo("{\"teams\":{\"****\":[\"acme/x\"]}}");
    }

    @Test
    void factsWithNothingToMaskKeepTheirStoredBytes() {
        String facts = "{ \"cost\": 120.50, \"big\": 1.0E10, "
                + "\"reason\": \"a \\\"quoted\\\" why\" }";
        assertThat(RedactedAuditLog.facts(facts)).isSameAs(facts);
    }

    @Test
    void maskedFactsKeepTheirNumbersAsWritten() {
        assertThat(RedactedAuditLog.facts("{\"monthlyIncrease\":120.50,\"by\":\"" + SECRET
                + "\"}")).isEqualTo("{\"monthlyIncrease\":120.50,\"by\":\"****\"}");
    }

    @Test
    void factsThatAreNotJsonAreMaskedAsText() {
        assertThat(RedactedAuditLog.facts("not json " + SECRET)).isEqualTo("not json ****");
    }

    @Test
    void everyReadOfTheLogIsMaskedWithTheStoredIdsOrderAndCursors(@TempDir Path dir) {
        try (Store store = SqliteStore.openIn(dir)) {
            store.audit().append(row("ops1", "{}"));
            store.audit().append(row(SECRET, "{}"));
            AuditLog stored = store.auditLog();
            AuditLog shown = RedactedAuditLog.of(stored);

            AuditPage first = shown.page(AuditQuery.all(), 1);
            assertThat(first.nextCursor()).isEqualTo(stored.page(AuditQuery.all(), 1)
                    .nextCursor());
            AuditEntry second = shown.page(AuditQuery.all().after(first.nextCursor()), 1)
                    .entries().get(0);
            assertThat(second.record().actor()).isEqualTo("****");
            assertThat(shown.newest(AuditQuery.all(), 1).entries()).containsExactly(second);
            assertThat(shown.find(second.id()).orElseThrow()).isEqualTo(second);
            List<String> actors = new java.util.ArrayList<>();
            assertThat(shown.forEach(AuditQuery.all(), e -> actors.add(e.record().actor())))
                    .isEqualTo(2);
            assertThat(actors).containsExactly("ops1", "****");
            // the store keeps what was written: replay decides again from it
            assertThat(stored.find(second.id()).orElseThrow().record().actor())
                    .isEqualTo(SECRET);
            assertThat(RedactedAuditLog.of(shown)).isSameAs(shown);
        }
    }
}
