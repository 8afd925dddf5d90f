package io.tidegate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.tidegate.infracost.InfracostParser;
import io.tidegate.infracost.InfracostReport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link InfracostParser} on real Infracost output from the shared fixtures (found through
 * {@code -Dtidegate.fixtures}, default {@code ../shared/fixtures}): a multi-project
 * {@code infracost diff} (48 KB) and a {@code breakdown} of a plan (45 KB). Run by
 * {@code bench/jmh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InfracostParseBenchmark {
    @Param({"diff.multi-project.with-metadata.json", "breakdown.plan-json.increase.json"})
    public String fixture;

    private byte[] json;
    private final InfracostParser parser = new InfracostParser();

    @Setup
    public void read() throws Exception {
        json = Files.readAllBytes(Path.of(System.getProperty("tidegate.fixtures",
                "../shared/fixtures"), "infracost", fixture));
    }

    @Benchmark
    public InfracostReport parse() {
        return parser.parse(json);
    }
}
