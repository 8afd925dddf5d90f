package io.tidegate.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import io.tidegate.atlantis.PlanReader;
import io.tidegate.decision.PlanChange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link PlanReader} on a generated Terraform plan of about 50 MB (12,000 resource changes with
 * large before/after values, prior state and configuration, as {@code terraform show -json}
 * writes them). The fork runs with a 64 MB heap: a reader that built a tree of the whole file
 * would fail with OutOfMemoryError. The trial prints the peak heap in use ({@code -prof gc}
 * adds bytes allocated per parse). Run by {@code bench/jmh}; not a test.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx64m", "-Xms64m"})
public class PlanParseBenchmark {
    static final int RESOURCES = 12_000;

    private Path plan;
    private final PlanReader reader = new PlanReader();

    @Setup(Level.Trial)
    public void generate() throws IOException {
        plan = Files.createTempFile("tidegate-jmh-plan", ".json");
        write(plan, RESOURCES);
        System.out.printf("%nplan: %,d bytes, %,d resource changes, max heap %d MB%n",
                Files.size(plan), RESOURCES, Runtime.getRuntime().maxMemory() >> 20);
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            p.resetPeakUsage();
        }
    }

    @Benchmark
    public PlanChange parse() throws IOException {
        try (InputStream in = Files.newInputStream(plan)) {
            return reader.read(in);
        }
    }

    @TearDown(Level.Trial)
    public void report() throws IOException {
        long peak = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                peak += p.getPeakUsage().getUsed();
            }
        }
        // one line bench/jmh picks up for its table
        System.out.printf("%nPEAK_HEAP_MB %.1f%n", peak / 1048576.0);
        Files.deleteIfExists(plan);
    }

    /** A plan shaped like Terraform's: big before/after values, prior state, configuration. */
    static void write(Path file, int resources) throws IOException {
        String[] actions = {"[\"create\"]", "[\"update\"]", "[\"delete\",\"create\"]"};
        String blob = "x".repeat(1200);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.0\",");
            w.write("\"planned_values\":{\"root_module\":{\"resources\":[]}},");
            w.write("\"resource_changes\":[");
            for (int i = 0; i < resources; i++) {
                w.write(i > 0 ? "," : "");
                w.write("{\"address\":\"module.m" + (i % 40) + ".aws_instance.r" + i + "\","
                        + "\"mode\":\"managed\",\"type\":\"aws_instance\",\"name\":\"r" + i
                        + "\",\"change\":{\"actions\":" + actions[i % 3] + ",\"before\":{\"tags\":"
                        + "{\"a\":\"" + blob + "\"},\"list\":[1,2,3,{\"n\":null}]},\"after\":{"
                        + "\"user_data\":\"" + blob + "\",\"nested\":{\"deep\":{\"deeper\":["
                        + "\"" + blob + "\"]}}},\"after_unknown\":{\"id\":true}}}");
            }
            w.write("],\"prior_state\":{\"values\":{\"root_module\":{\"resources\":[");
            for (int i = 0; i < resources / 4; i++) {
                w.write((i > 0 ? "," : "") + "{\"address\":\"aws_instance.r" + i
                        + "\",\"values\":{\"v\":\"" + blob + "\"}}");
            }
            w.write("]}}},\"configuration\":{\"root_module\":{}}}");
        }
    }
}
