package io.tidegate.store;

import java.util.Objects;

/** The answer to an acquire: the lock is ours, or someone else holds it. */
public sealed interface LockResult {
    HeldLock lock();

    record Acquired(HeldLock lock) implements LockResult {
        public Acquired {
            Objects.requireNonNull(lock, "lock == null");
        }
    }

    /** Held by another owner; {@code lock} is theirs. */
    record Busy(HeldLock lock) implements LockResult {
        public Busy {
            Objects.requireNonNull(lock, "lock == null");
        }
    }
}
