package io.tidegate.http;

import java.util.concurrent.Semaphore;

/**
 * The bytes of webhook bodies held at once, across every request reading one. Bodies arrive
 * before anyone is authenticated, and the count of bodies read at once alone did not bound
 * them: 16 unsigned 25 MB bodies sent together ran a server with a 128 MB heap out of memory
 * (15 {@code OutOfMemoryError}s, each a 500, any of them free to land in another thread). Each
 * request takes its buffers from the budget through a {@link Lease} and gives them back when it
 * ends; a request that would go over is answered 503 instead, with nothing allocated.
 */
final class BodyBudget {
    private final Semaphore bytes;
    private final int maxBytes;

    BodyBudget(int maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes < 1: " + maxBytes);
        }
        this.maxBytes = maxBytes;
        this.bytes = new Semaphore(maxBytes);
    }

    /**
     * A quarter of the heap the JVM may grow to, at least two bodies of the largest size and at
     * most 256 MiB: with the launcher's 128 MB heap, 64 MiB (two 25 MB bodies read at once, the
     * third waits for a retry), while the typical 30 KB deliveries never come near it.
     */
    static BodyBudget forHeap(long maxHeapBytes, int largestBody) {
        long quarter = maxHeapBytes / 4;
        long floor = 2L * largestBody;
        return new BodyBudget((int) Math.min(Math.max(quarter, floor), 256L * 1024 * 1024));
    }

    int maxBytes() {
        return maxBytes;
    }

    /** Bytes not held by any request now. */
    int available() {
        return bytes.availablePermits();
    }

    Lease lease() {
        return new Lease();
    }

    /** The budget is spent: the request is answered 503 and may be retried. */
    static final class Exhausted extends Exception {
        Exhausted() {
            super("the webhook body budget is spent", null, false, false);
        }
    }

    /** One request's share; not thread-safe (one request, one thread). */
    final class Lease implements AutoCloseable {
        private long held;

        /** A new array of {@code n} bytes, taken from the budget. */
        byte[] allocate(int n) throws Exhausted {
            if (!bytes.tryAcquire(n)) {
                throw new Exhausted();
            }
            held += n;
            return new byte[n];
        }

        /** {@code old}'s first {@code used} bytes in a new array of {@code n}; old given back. */
        byte[] copy(byte[] old, int used, int n) throws Exhausted {
            byte[] bigger = allocate(n);
            System.arraycopy(old, 0, bigger, 0, used);
            free(old.length);
            return bigger;
        }

        private void free(int n) {
            bytes.release(n);
            held -= n;
        }

        /** Gives back everything this request still holds (its body is no longer needed). */
        @Override
        public void close() {
            bytes.release((int) held);
            held = 0;
        }
    }
}
