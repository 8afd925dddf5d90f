package io.tidegate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.github.WebhookEvent;
import io.tidegate.github.WebhookParser;
import io.tidegate.github.WebhookSignature;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The CPU work of one webhook intake before the store: the HMAC check and
 * {@link WebhookParser#parse} of the real 27 KB {@code pull_request.synchronize} fixture, and,
 * for comparison, a Jackson tree of the whole payload (what the parser built before it kept
 * only the fields it reads). Run by {@code bench/jmh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WebhookParseBenchmark {
    private byte[] body;
    private String header;
    private final WebhookParser parser = new WebhookParser();
    private final WebhookSignature signature = new WebhookSignature("bench-secret");
    private final ObjectMapper mapper = new ObjectMapper();

    @Setup
    public void read() throws Exception {
        body = Files.readAllBytes(Path.of(System.getProperty("tidegate.fixtures",
                "../shared/fixtures"), "github", "pull_request.synchronize.json"));
        header = signature.signatureOf(body);
    }

    @Benchmark
    public WebhookEvent parseKeptFields() throws Exception {
        return parser.parse("pull_request", "bench-delivery", body);
    }

    @Benchmark
    public JsonNode wholeTreeForComparison() throws Exception {
        return mapper.readTree(body);
    }

    @Benchmark
    public boolean verifySignature() throws Exception {
        signature.verify(body, header);
        return true;
    }
}
