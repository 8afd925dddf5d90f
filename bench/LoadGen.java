import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A closed-loop HTTP load generator for the benchmarks, run as a separate process with
 * {@code java bench/LoadGen.java}. Each of C connections (one thread each, blocking sockets,
 * HTTP/1.1 keep-alive, like wrk's connections) sends requests back to back for the given
 * seconds (after a warm-up) and records every latency; the result is one line:
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
        for (int c = 0; c < conns; c++) {
            Thread t = new Thread(() -> {
                Connection connection = new Connection(url);
                try {
                    while (System.nanoTime() < deadline) {
                        byte[] head = head(mode, url, body.length, secret, signature);
                        long start = System.nanoTime();
                        int status;
                        try {
                            status = connection.exchange(head, body);
                        } catch (IOException e) {
                            errors.incrementAndGet();
                            connection.close();
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
                    connection.close();
                    done.countDown();
                }
            });
            t.start();
        }
        done.await();
        return new long[] {index.get(), errors.get()};
    }

    /** The request line and headers; the body follows as is. */
    private static byte[] head(String mode, URI url, int length, String secret, String signature) {
        StringBuilder b = new StringBuilder(512)
                .append("POST ").append(url.getRawPath()).append(" HTTP/1.1\r\n")
                .append("Host: ").append(url.getHost()).append(':').append(url.getPort())
                .append("\r\nContent-Type: application/json\r\nContent-Length: ").append(length)
                .append("\r\n");
        if (mode.equals("webhook")) {
            b.append("X-GitHub-Event: pull_request\r\nX-GitHub-Delivery: ")
                    .append(UUID.randomUUID()).append("\r\nX-Hub-Signature-256: ")
                    .append(signature).append("\r\nUser-Agent: GitHub-Hookshot/bench\r\n");
        } else {
            b.append("Authorization: Bearer ").append(secret).append("\r\n");
        }
        return b.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * One keep-alive HTTP/1.1 connection with blocking I/O: write the request, read the status
     * line, the headers and the body (Content-Length or chunked). Lean on purpose, so the load
     * generator takes as little of the machine's CPU as possible from the server it measures.
     */
    private static final class Connection {
        private final URI url;
        private Socket socket;
        private OutputStream out;
        private InputStream in;

        Connection(URI url) {
            this.url = url;
        }

        int exchange(byte[] head, byte[] body) throws IOException {
            if (socket == null) {
                socket = new Socket(url.getHost(), url.getPort());
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(10_000);
                out = new BufferedOutputStream(socket.getOutputStream(), 1 << 16);
                in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            }
            out.write(head);
            out.write(body);
            out.flush();
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("bad status line: " + status);
            }
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(java.util.Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long n = chunk(); n > 0; n = chunk()) {
                    skip(n);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length > 0) {
                skip(length);
            }
            if (close) {
                close();
            }
            return Integer.parseInt(status.substring(9, 12));
        }

        private long chunk() throws IOException {
            String size = line();
            int semicolon = size.indexOf(';');
            return Long.parseLong(semicolon < 0 ? size.trim() : size.substring(0, semicolon).trim(), 16);
        }

        private void skip(long n) throws IOException {
            while (n > 0) {
                long skipped = in.skip(n);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new IOException("connection closed in a body");
                    }
                    skipped = 1;
                }
                n -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                socket = null;
            }
        }
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
