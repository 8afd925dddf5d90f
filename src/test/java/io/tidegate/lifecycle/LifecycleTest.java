package io.tidegate.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LifecycleTest {
    private final List<String> events = new ArrayList<>();

    private Service recorded(String name) {
        return Service.of(name, () -> events.add("start " + name),
                () -> events.add("stop " + name));
    }

    @Test
    void closeStopsServicesInTheReverseOrderOfTheirStart() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.start(recorded("store"));
        lifecycle.start(recorded("worker"));
        lifecycle.start(recorded("web"));

        lifecycle.close();

        assertThat(events).containsExactly("start store", "start worker", "start web",
                "stop web", "stop worker", "stop store");
    }

    @Test
    void aServiceThatFailsToStartIsNotStoppedAndClosingStopsTheOthers() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.start(recorded("store"));
        lifecycle.start(recorded("worker"));
        Service web = Service.of("web", () -> {
            throw new IllegalStateException("port 8080 in use");
        }, () -> events.add("stop web"));

        assertThatThrownBy(() -> lifecycle.start(web)).hasMessage("port 8080 in use");
        lifecycle.close();

        assertThat(events).containsExactly("start store", "start worker", "stop worker",
                "stop store");
    }

    @Test
    void aServiceFailingToStopDoesNotKeepTheOthersRunning() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.start(recorded("store"));
        lifecycle.start(Service.of("web", () -> {}, () -> {
            throw new IllegalStateException("graceful stop timed out");
        }));

        lifecycle.close();

        assertThat(events).containsExactly("start store", "stop store");
    }

    @Test
    void closingTwiceStopsNothingTwiceAndNothingStartsAfter() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.start(recorded("store"));
        lifecycle.close();
        lifecycle.close();

        assertThat(events).containsExactly("start store", "stop store");
        assertThatThrownBy(() -> lifecycle.start(recorded("late")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("lifecycle closed; cannot start late");
    }

    @Test
    void closingServiceClosesItsResourcesInTheirOrderEvenWhenOneFails() {
        Lifecycle lifecycle = new Lifecycle();
        lifecycle.start(Service.closing("AWS clients", List.of(
                () -> events.add("close sns"),
                () -> {
                    throw new java.io.IOException("already closed");
                },
                () -> events.add("close credentials"))));

        lifecycle.close();

        assertThat(events).containsExactly("close sns", "close credentials");
    }
}
