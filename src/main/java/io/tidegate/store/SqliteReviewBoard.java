package io.tidegate.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** The review board in SQLite: one row per open PR (migration 3). */
final class SqliteReviewBoard implements ReviewBoardStore {
    private final SqliteDb db;

    SqliteReviewBoard(SqliteDb db) {
        this.db = db;
    }

    @Override
    public void put(Entry e) {
        db.write("save review", c -> SqliteDb.update(c, "INSERT OR REPLACE INTO review_board "
                + "(repo, pr, reviewed_at, json) VALUES (?, ?, ?, ?)", e.repo(), e.pr(),
                e.reviewedAt(), e.json()));
    }

    @Override
    public void remove(String repo, int pr) {
        db.write("remove review", c -> SqliteDb.update(c, "DELETE FROM review_board "
                + "WHERE repo = ? AND pr = ?", repo, pr));
    }

    @Override
    public Optional<Entry> get(String repo, int pr) {
        return db.read("read review", c -> SqliteDb.one(c, "SELECT * FROM review_board "
                + "WHERE repo = ? AND pr = ?", SqliteReviewBoard::entryOf, repo, pr));
    }

    @Override
    public List<Entry> all() {
        return db.read("read reviews", c -> SqliteDb.query(c, "SELECT * FROM review_board "
                + "ORDER BY reviewed_at DESC, repo, pr", SqliteReviewBoard::entryOf));
    }

    private static Entry entryOf(ResultSet rs) throws SQLException {
        return new Entry(rs.getString("repo"), rs.getInt("pr"),
                SqliteDb.instant(rs, "reviewed_at"), rs.getString("json"));
    }
}
