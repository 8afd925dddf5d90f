package io.tidegate.lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * A part of the server that runs between a start and a stop: a worker, a {@link PeriodicJob},
 * the web server, or a client or store that only needs closing. A {@link Lifecycle} starts
 * services in dependency order and stops them in reverse.
 *
 * <p>{@code stop} is called once, after a successful {@code start} (or after registration, for
 * something that only closes); it waits for work in hand as long as the service allows and
 * should not throw (a failure is logged and the next service still stops).
 */
public interface Service {
    String name();

    void start();

    void stop();

    /** A service from its two actions, e.g. {@code of("inbox worker", w::start, w::close)}. */
    static Service of(String name, Runnable start, Runnable stop) {
        return new Actions(name, start, stop);
    }

    /** Nothing to start, things to close in the given order (an SDK client before its HTTP). */
    static Service closing(String name, List<? extends AutoCloseable> resources) {
        List<AutoCloseable> inOrder = List.copyOf(resources);
        return of(name, () -> {}, () -> {
            for (AutoCloseable r : inOrder) {
                Lifecycle.closeQuietly(name, r);
            }
        });
    }

    /** {@link #of}'s service. */
    record Actions(String name, Runnable onStart, Runnable onStop) implements Service {
        public Actions {
            Objects.requireNonNull(name, "name == null");
            Objects.requireNonNull(onStart, "onStart == null");
            Objects.requireNonNull(onStop, "onStop == null");
        }

        @Override
        public void start() {
            onStart.run();
        }

        @Override
        public void stop() {
            onStop.run();
        }
    }
}
