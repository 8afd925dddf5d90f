package io.tidegate.store;

import java.time.Duration;
import java.util.Optional;

/**
 * The last write refused for lack of space, and when (monotonic time). A small write can still
 * succeed on a full disk (a row that fits a page already in the file, a WAL or journal file
 * within its size) while every webhook delivery is refused, so readiness asks this too
 * ({@link Store#writesRefusedWithin}). Shared by the SQLite files and the inbox's journal.
 */
final class DiskFullMemory {
    private record Refusal(long atNanos, String message) {}

    private volatile Refusal last;

    /** Remembers a refusal now, with the message readiness will name. */
    void note(String message) {
        last = new Refusal(System.nanoTime(), message);
    }

    /** The last refusal's message if it happened within {@code within}. */
    Optional<String> within(Duration within) {
        Refusal r = last;
        return r != null && System.nanoTime() - r.atNanos() <= within.toNanos()
                ? Optional.of(r.message()) : Optional.empty();
    }
}
