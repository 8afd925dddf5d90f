package io.tidegate.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of the server one kind of slow or greedy client can hold. Anyone who can reach the
 * webhook URL can send a body before they are authenticated (the signature covers the body), so
 * the body's pace and the number read at once are bounded, and the rest of the server (health,
 * readiness, the gate) keeps threads of its own:
 *
 * <ul>
 *   <li>{@code maxThreads}: Jetty's request threads (Javalin's default is 250);</li>
 *   <li>{@code webhookBodies}: unauthenticated webhook bodies read at once; one more is answered
 *       503 with {@code Retry-After} at once, without reading it (GitHub shows the delivery as
 *       failed and it can be redelivered);</li>
 *   <li>{@code blockingTimeout}: the longest a blocking read of a body may wait for bytes;</li>
 *   <li>{@code minRequestBytesPerSecond}: a body arriving slower than this, counted from the
 *       first time the server waits for it, is cut off with 408 ({@link MinimumReadRate}).</li>
 * </ul>
 *
 * <p>Bodies of every route being received at once are bounded too ({@link #bodyReaders()},
 * {@link ConcurrentBodies}), so requests without a body (health, readiness) keep threads.
 */
public record HttpLimits(int maxThreads, int webhookBodies, Duration blockingTimeout,
        long minRequestBytesPerSecond) {
    /**
     * 250 threads as Javalin has them; 64 webhook bodies at once (the intake benchmark's largest
     * concurrency, so a burst of real deliveries is not refused) leave 186 for everything else;
     * 10 s without a byte or under 1 KiB/s on average ends a body (GitHub sends one in
     * milliseconds).
     */
    public static final HttpLimits DEFAULTS = new HttpLimits(250, 64, Duration.ofSeconds(10),
            1024);

    public HttpLimits {
        Objects.requireNonNull(blockingTimeout, "blockingTimeout == null");
        if (webhookBodies < 1 || maxThreads < webhookBodies + 8) {
            throw new IllegalArgumentException("need 1 <= webhookBodies and maxThreads >= "
                    + "webhookBodies + 8 (threads left for the other routes), got maxThreads="
                    + maxThreads + ", webhookBodies=" + webhookBodies);
        }
        if (blockingTimeout.isNegative() || blockingTimeout.isZero()) {
            throw new IllegalArgumentException("blockingTimeout must be positive");
        }
        if (minRequestBytesPerSecond < 0) {
            throw new IllegalArgumentException("minRequestBytesPerSecond < 0");
        }
    }

    /**
     * Request bodies of all routes received at once: three quarters of the threads (187 of
     * 250), leaving the rest to requests without a body, but never fewer than the webhook
     * bodies and the sign-in forms together plus 8, so an anonymous sender filling both of
     * their budgets leaves permits for the gate.
     */
    public int bodyReaders() {
        return Math.max(maxThreads * 3 / 4, webhookBodies + SIGN_IN_FORMS + 8);
    }

    /** Dashboard sign-in forms read at once (anyone can post one; a person signs in once). */
    public static final int SIGN_IN_FORMS = 8;
}
