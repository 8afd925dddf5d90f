package io.tidegate.http;

import io.javalin.config.RoutesConfig;

/**
 * A feature's HTTP routes (webhooks, the Atlantis API, deployments). {@link WebServer} adds every
 * group at start-up; groups hold the parts they call, handed to them by {@code wiring.Server}.
 */
@FunctionalInterface
public interface RouteGroup {
    void addTo(RoutesConfig routes);
}
