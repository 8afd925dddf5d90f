package io.tidegate.web;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * {@code bench/dashboard}: every dashboard page rendered by the real server from a SQLite store
 * holding 10,000 deployments and 100,000 decisions (the {@link DashboardFixture} data at
 * scale). Warms each page up, then times {@value #RUNS} requests per page over loopback
 * (store reads, read model, template, transfer) and prints p50, p95, max and the page size.
 * The store is built once in {@code target/bench-dashboard} and reused by later runs.
 */
public final class DashboardBench {
    static final int RUNS = 40;
    static final int WARMUP = 15;
    static final List<String> PAGES = List.of("/", "/waiting", "/deployments",
            "/deployments?environment=production&days=90", "/decisions",
            "/decisions?environment=production&verdict=allow",
            "/decisions?repo=acme/network&pr=950", "/decisions?since=2026-11-01&until=2026-11-02");

    private DashboardBench() {}

    public static void main(String[] args) throws Exception {
        int deployments = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int decisions = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        Path dir = Path.of("target", "bench-dashboard", deployments + "-" + decisions);
        boolean fresh = !Files.exists(dir.resolve("filled"));
        Files.createDirectories(dir);
        long t0 = System.nanoTime();
        try (DashboardFixture fixture = new DashboardFixture(dir)) {
            if (fresh) {
                fixture.fill(deployments, decisions);
                Files.writeString(dir.resolve("filled"), "ok");
                System.out.printf("filled the store in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            }
            try (DashboardServer server = new DashboardServer(fixture, true)) {
                System.out.printf("%n%d deployments, %d decisions; %d timed requests per page "
                        + "after %d warm-up%n%n", deployments, decisions, RUNS, WARMUP);
                System.out.println("| page | p50 ms | p95 ms | max ms | size KB |");
                System.out.println("|---|---|---|---|---|");
                for (String page : PAGES) {
                    measure(server, page);
                }
            }
        }
    }

    private static void measure(DashboardServer server, String page) throws Exception {
        int size = 0;
        for (int i = 0; i < WARMUP; i++) {
            size = fetch(server, page).body().getBytes(StandardCharsets.UTF_8).length;
        }
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            HttpResponse<String> r = fetch(server, page);
            ms.add((System.nanoTime() - start) / 1e6);
            if (r.statusCode() != 200) {
                throw new IllegalStateException(page + " answered " + r.statusCode());
            }
        }
        Collections.sort(ms);
        System.out.printf("| `%s` | %.1f | %.1f | %.1f | %.1f |%n", page, ms.get(RUNS / 2),
                ms.get((int) Math.ceil(RUNS * 0.95) - 1), ms.get(RUNS - 1), size / 1024.0);
    }

    private static HttpResponse<String> fetch(DashboardServer server, String page)
            throws Exception {
        return server.get(page);
    }
}
