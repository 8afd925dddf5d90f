package io.tidegate.lifecycle;

import java.util.ArrayDeque;
import java.util.Deque;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running services of one server, started one by one in dependency order (a service
 * starts after those it uses) and stopped in reverse by {@link #close}: the web server stops
 * taking requests first, the workers finish what they hold, the store closes last.
 *
 * <p>One shutdown path: a start that fails half-way closes the lifecycle as a graceful stop
 * does, so whatever had started stops in the same order. Safe for concurrent use; closing
 * twice stops nothing twice.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final Deque<Service> started = new ArrayDeque<>();
    private boolean closed;

    /**
     * Starts {@code service} after those started before it, to be stopped before them. If it
     * fails to start, nothing of it is stopped: the caller closes the lifecycle, which stops
     * the others.
     */
    public synchronized <S extends Service> S start(S service) {
        if (closed) {
            throw new IllegalStateException("lifecycle closed; cannot start " + service.name());
        }
        service.start();
        started.push(service);
        return service;
    }

    /** Stops every started service, the last started first; failures are logged and skipped. */
    @Override
    public synchronized void close() {
        closed = true;
        while (!started.isEmpty()) {
            Service s = started.pop();
            try {
                s.stop();
            } catch (RuntimeException e) {
                // one part failing to stop must not leave the ones it depends on running
                log.warn("stopping {} failed: {}", s.name(), e.toString());
            }
        }
    }

    static void closeQuietly(String name, AutoCloseable resource) {
        try {
            resource.close();
        } catch (Exception e) {
            log.warn("closing {} ({}) failed: {}", name, resource.getClass().getSimpleName(),
                    e.toString());
        }
    }
}
