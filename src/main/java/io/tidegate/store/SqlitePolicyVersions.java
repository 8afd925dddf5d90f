package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Policy versions in SQLite: one row per hash, the files as a JSON object; never updated. */
final class SqlitePolicyVersions implements PolicyVersionStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FILES = new TypeReference<>() {};

    private final SqliteDb db;

    SqlitePolicyVersions(SqliteDb db) {
        this.db = db;
    }

    @Override
    public boolean keep(PolicyVersion v) {
        String files;
        try {
            files = JSON.writeValueAsString(v.files());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings is always JSON", e);
        }
        return db.write("keep policy version", c -> SqliteDb.update(c, "INSERT OR IGNORE INTO "
                + "policy_versions (sha256, files_json, first_seen) VALUES (?, ?, ?)",
                v.sha256(), files, v.firstSeen())) == 1;
    }

    @Override
    public Optional<PolicyVersion> find(String sha256) {
        return db.read("read policy version", c -> SqliteDb.one(c, "SELECT * FROM "
                + "policy_versions WHERE sha256 = ?", SqlitePolicyVersions::versionOf, sha256));
    }

    private static PolicyVersion versionOf(ResultSet rs) throws SQLException {
        try {
            return new PolicyVersion(rs.getString("sha256"),
                    JSON.readValue(rs.getString("files_json"), FILES),
                    SqliteDb.instant(rs, "first_seen"));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new StoreException("stored policy version " + rs.getString("sha256")
                    + " is damaged: " + e.getMessage(), e);
        }
    }
}
