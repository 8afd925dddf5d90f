package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The review schedule in SQLite: one row per PR, indexed by due instant. */
final class SqliteReviewSchedule implements ReviewSchedule {
    private static final String COLUMNS = "repo, pr, head_sha, due_at, environment, why, "
            + "environments, lock_waits, reviewed_at";

    private final SqliteDb db;

    SqliteReviewSchedule(SqliteDb db) {
        this.db = db;
    }

    @Override
    public void save(ScheduledReview r, String facts) {
        db.write("save review schedule", c -> SqliteDb.update(c, "INSERT OR REPLACE INTO "
                + "review_schedule (" + COLUMNS + ", facts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.repo(), r.number(), r.headSha(), r.dueAt().orElse(null), r.environment(),
                r.why(), Codec.stringsToJson(sorted(r.environments())),
                Codec.stringsToJson(sorted(r.lockWaits())), r.reviewedAt(), facts));
    }

    @Override
    public Optional<ScheduledReview> get(String repo, int number) {
        return db.read("read review schedule", c -> SqliteDb.one(c, "SELECT " + COLUMNS
                + " FROM review_schedule WHERE repo = ? AND pr = ?",
                SqliteReviewSchedule::of, repo, number));
    }

    @Override
    public Optional<String> facts(String repo, int number) {
        return db.read("read reviewed facts", c -> SqliteDb.one(c, "SELECT facts FROM "
                + "review_schedule WHERE repo = ? AND pr = ?", rs -> rs.getString(1),
                repo, number));
    }

    @Override
    public List<ScheduledReview> all() {
        return db.read("read review schedule", c -> SqliteDb.query(c, "SELECT " + COLUMNS
                + " FROM review_schedule ORDER BY due_at IS NULL, due_at, repo, pr",
                SqliteReviewSchedule::of));
    }

    @Override
    public List<ScheduledReview> due(Instant now, int max) {
        return db.read("read due reviews", c -> SqliteDb.query(c, "SELECT " + COLUMNS
                + " FROM review_schedule WHERE due_at <= ? ORDER BY due_at LIMIT ?",
                SqliteReviewSchedule::of, now, max));
    }

    @Override
    public Optional<Instant> nextDue() {
        return db.read("read next due review", c -> SqliteDb.one(c, "SELECT min(due_at) FROM "
                + "review_schedule", rs -> SqliteDb.optionalInstant(rs, "min(due_at)")))
                .flatMap(o -> o);
    }

    @Override
    public boolean clearDue(String repo, int number, Instant dueAt) {
        return db.write("clear due review", c -> SqliteDb.update(c, "UPDATE review_schedule "
                + "SET due_at = NULL WHERE repo = ? AND pr = ? AND due_at = ?", repo, number,
                dueAt) == 1);
    }

    @Override
    public void remove(String repo, int number) {
        db.write("remove review schedule", c -> SqliteDb.update(c,
                "DELETE FROM review_schedule WHERE repo = ? AND pr = ?", repo, number));
    }

    private static List<String> sorted(Set<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    private static ScheduledReview of(ResultSet rs) throws SQLException {
        return new ScheduledReview(rs.getString("repo"), rs.getInt("pr"),
                rs.getString("head_sha"), SqliteDb.optionalInstant(rs, "due_at"),
                rs.getString("environment"), rs.getString("why"),
                Set.copyOf(Codec.stringsFromJson(rs.getString("environments"))),
                Set.copyOf(Codec.stringsFromJson(rs.getString("lock_waits"))),
                SqliteDb.instant(rs, "reviewed_at"));
    }
}
