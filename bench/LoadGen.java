import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A closed-loop HTTP load generator for the benchmarks, run as a separate process with
 * {@code java bench/LoadGen.java}. Each of C connections sends requests back to back for the
 * given seconds (after a warm-up) and records every latency; the result is one line:
 * {@code label conns requests rps p50_ms p99_ms errors statuses}.
 *
 * <pre>
 * java LoadGen.java webhook URL BODY_FILE SECRET CONNS SECONDS LABEL
 * java LoadGen.java json    URL BODY_FILE TOKEN  CONNS SECONDS LABEL
 * </pre>
 * webhook: signs the body as GitHub does, with a unique X-GitHub-Delivery per request.
 * json: POSTs the body with {@code Authorization: Bearer TOKEN}.
 */
public final class LoadGen {
    public static void main(String[] args) throws Exception {
        if (args.length != 7) {
            System.err.println("usage: LoadGen webhook|json URL BODY_FILE SECRET CONNS SECONDS LABEL");
            System.exit(2);
        }
        String mode = args[0];
        URI url = URI.create(args[1]);
        byte[] body = Files.readAllBytes(Path.of(args[2]));
        String secret = args[3];
        int conns = Integer.parseInt(args[4]);
        int seconds = Integer.parseInt(args[5]);
        String label = args[6];
        String signature = "sha256=" + hmac(secret, body);

        run(mode, url, body, secret, signature, conns, 2, new long[1 << 20], null);
        long[] latencies = new long[1 << 23];
        Map<Integer, Long> statuses = new TreeMap<>();
        long[] counts = run(mode, url, body, secret, signature, conns, seconds, latencies, statuses);
        int n = (int) counts[0];
        long[] sorted = Arrays.copyOf(latencies, Math.min(n, latencies.length));
        Arrays.sort(sorted);
        System.out.printf("%s conns=%d requests=%d rps=%.0f p50_ms=%.2f p99_ms=%.2f errors=%d statuses=%s%n",
                label, conns, n, n / (double) seconds,
                pct(sorted, 0.50) / 1e6, pct(sorted, 0.99) / 1e6, counts[1], statuses);
    }

    private static long[] run(String mode, URI url, byte[] body, String secret, String signature,
            int conns, int seconds, long[] latencies, Map<Integer, Long> statuses)
            throws InterruptedException {
        AtomicLong index = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        CountDownLatch done = new CountDownLatch(conns);
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < conns; c++) {
            Thread t = new Thread(() -> {
                // One client per connection: each worker keeps its own keep-alive connection.
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                try {
                    while (System.nanoTime() < deadline) {
                        HttpRequest request = request(mode, url, body, secret, signature);
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = client.send(request, HttpResponse.BodyHandlers.discarding())
                                    .statusCode();
                        } catch (Exception e) {
                            errors.incrementAndGet();
                            continue;
                        }
                        long took = System.nanoTime() - start;
                        long i = index.getAndIncrement();
                        if (i < latencies.length) {
                            latencies[(int) i] = took;
                        }
                        if (statuses != null) {
                            synchronized (statuses) {
                                statuses.merge(status, 1L, Long::sum);
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            });
            t.start();
            threads.add(t);
        }
        done.await();
        return new long[] {index.get(), errors.get()};
    }

    private static HttpRequest request(String mode, URI url, byte[] body, String secret,
            String signature) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (mode.equals("webhook")) {
            b.header("X-GitHub-Event", "pull_request")
                    .header("X-GitHub-Delivery", UUID.randomUUID().toString())
                    .header("X-Hub-Signature-256", signature)
                    .header("User-Agent", "GitHub-Hookshot/bench");
        } else {
            b.header("Authorization", "Bearer " + secret);
        }
        return b.build();
    }

    private static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
    }

    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body));
    }
}
