package io.tidegate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.tidegate.github.WebhookSignature;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.DataDirException;
import io.tidegate.wiring.Prewarm;
import io.tidegate.wiring.Server;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate warm-up}: the class-data-sharing training run. Starts the server as
 * {@code serve} would, on a throw-away store in a temporary folder, loopback and a random port,
 * with no credentials (a dry run), sends it what production sends (a signed webhook, a gate
 * call, health, readiness and metrics reads), waits for the webhook to be handled, stops and
 * deletes the folder. Run under {@code -XX:ArchiveClassesAtExit} ({@code bin/tidegate
 * cds-archive} does), the JVM writes every class this loaded to an archive that later starts
 * map instead of loading and verifying them again.
 */
@Command(name = "warm-up", description = "Start on a throw-away store, send one of each request,"
        + " stop (the training run of bin/tidegate cds-archive).")
public final class WarmUpCommand implements Callable<Integer> {
    private static final String SECRET = "warm-up";
    private static final String TOKEN = "warm-up-token";
    /** examples/pull_request.opened.json: the quick start's webhook. */
    private static final String PULL_REQUEST = """
            {"action":"opened","number":1,"pull_request":{"number":1,"title":"Warm up",
             "body":"## Rollback plan\\nRevert this PR.","draft":false,"user":{"login":"dev-kim"},
             "labels":[],"base":{"ref":"main","repo":{"full_name":"acme/infra"}},
             "head":{"ref":"feature/infra-web","sha":"6dcb09b5b57875f334f61aebed695e2e4193db5e",
             "repo":{"full_name":"acme/infra"}}},"repository":{"full_name":"acme/infra"},
             "sender":{"login":"dev-kim"}}""";
    /** atlantis/README.md's wire contract: the request the hook script sends. */
    private static final String GATE = """
            {"command":"apply","base_repo_owner":"acme","base_repo_name":"infra",
             "head_repo_owner":"acme","head_repo_name":"infra","head_branch_name":"feature/infra-web",
             "base_branch_name":"main","pull_num":"1","pull_author":"dev-kim",
             "pull_url":"https://github.com/acme/infra/pull/1",
             "head_commit":"6dcb09b5b57875f334f61aebed695e2e4193db5e","project_name":"prod",
             "dir":"/atlantis-data/repos/acme/infra/1/default/environments/prod",
             "repo_rel_dir":"environments/prod","workspace":"default","user_name":"dev-kim",
             "comment_args":""}""";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        Prewarm.start(); // as serve does, so the archive holds what it loads
        PrintWriter err = spec.commandLine().getErr();
        Path data = Files.createTempDirectory("tidegate-warm-up-");
        try {
            Config config = Config.from(environment(data));
            try (Server.Running running = Server.start(config)) {
                exercise("http://127.0.0.1:" + running.port());
            }
            spec.commandLine().getOut().println("warm-up done");
            return 0;
        } catch (ConfigException | DataDirException | IOException e) {
            err.println("tidegate: warm-up failed: " + e.getMessage());
            return 1;
        } finally {
            deleteTree(data);
        }
    }

    /** The operator's policy and log settings; everything else is the throw-away set-up. */
    private static Map<String, String> environment(Path data) {
        Map<String, String> env = new HashMap<>();
        for (String kept : new String[] {"TIDEGATE_POLICY", "TIDEGATE_LOG_LEVEL",
                "TIDEGATE_LOG_FORMAT"}) {
            String value = System.getenv(kept);
            if (value != null) {
                env.put(kept, value);
            }
        }
        env.put("TIDEGATE_DATA_DIR", data.toString());
        env.put("TIDEGATE_BIND_ADDRESS", "127.0.0.1");
        env.put("TIDEGATE_PORT", "0");
        env.put("GITHUB_WEBHOOK_SECRET", SECRET);
        env.put("TIDEGATE_API_TOKEN", TOKEN);
        // a GitHub client as production has one (without it, the ~130 classes of hub4j and of
        // our calls through it were loaded from the jar at every start): pointed at a closed
        // port on loopback, so each call fails at once and nothing leaves the machine
        env.put("GITHUB_TOKEN", "warm-up-no-such-token");
        env.put("GITHUB_API_URL", "http://127.0.0.1:" + closedPort());
        return env;
    }

    /** A loopback port nothing listens on (bound, then released). */
    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            return 9; // discard: not served on a developer's machine or in the image
        }
    }

    private static void exercise(String base) throws IOException, InterruptedException {
        get(base + "/healthz");
        get(base + "/readyz");
        byte[] body = PULL_REQUEST.getBytes(StandardCharsets.UTF_8);
        post(base + "/webhooks/github", body, Map.of("X-GitHub-Event", "pull_request",
                "X-GitHub-Delivery", "warm-up-" + System.nanoTime(),
                WebhookSignature.HEADER, new WebhookSignature(SECRET).signatureOf(body)));
        post(base + "/api/v1/atlantis/gate", GATE.getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer " + TOKEN));
        get(base + "/metrics");
        // the webhook's review runs on the inbox worker: give it time to load its classes
        Thread.sleep(1_000);
    }

    private static void get(String url) throws IOException {
        drain(open(url));
    }

    /** Bounded before it connects: a training run never waits on its own server for long. */
    private static HttpURLConnection open(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(30_000);
        return c;
    }

    private static void post(String url, byte[] body, Map<String, String> headers)
            throws IOException {
        HttpURLConnection c = open(url);
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", "application/json");
        headers.forEach(c::setRequestProperty);
        c.getOutputStream().write(body);
        drain(c);
    }

    /** Any status is fine (a dry run denies): only the classes on the way matter. */
    private static void drain(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
