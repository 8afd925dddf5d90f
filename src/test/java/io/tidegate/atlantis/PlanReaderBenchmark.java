package io.tidegate.atlantis;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tidegate.decision.PlanChange;

/**
 * Not a test: prints how long {@link PlanReader} takes on a generated ~50 MB plan and how much
 * heap it needs. Run from the project root after {@code ./mvnw test-compile}:
 * {@code java -Xmx16m -cp target/classes:target/test-classes:<deps>
 * io.tidegate.atlantis.PlanReaderBenchmark [resource changes]}
 */
public final class PlanReaderBenchmark {
    private PlanReaderBenchmark() {}

    public static void main(String[] args) throws IOException {
        int resources = args.length > 0 ? Integer.parseInt(args[0]) : 9000;
        Path plan = Files.createTempFile("tidegate-bench-plan", ".json");
        try {
            generate(plan, resources);
            System.out.printf("plan: %,d bytes, %,d resource changes, max heap %,d MB%n",
                    Files.size(plan), resources, Runtime.getRuntime().maxMemory() >> 20);
            PlanReader reader = new PlanReader();
            for (int i = 0; i < 3; i++) {
                read(reader, plan); // warm-up
            }
            long best = Long.MAX_VALUE;
            long total = 0;
            int runs = 5;
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long allocated = 0;
            System.gc();
            resetPeaks();
            long heapBefore = usedHeap();
            for (int i = 0; i < runs; i++) {
                long a0 = threads.getCurrentThreadAllocatedBytes();
                long t0 = System.nanoTime();
                PlanChange c = read(reader, plan);
                long t = System.nanoTime() - t0;
                allocated = threads.getCurrentThreadAllocatedBytes() - a0;
                best = Math.min(best, t);
                total += t;
                if (c.created() + c.updated() != resources) { // create, update, replace in turn
                    throw new AssertionError("unexpected count " + c);
                }
            }
            System.out.printf("parse: best %.1f ms, mean %.1f ms (%d runs), %.0f MB/s%n",
                    best / 1e6, total / 1e6 / runs, runs, Files.size(plan) / (best / 1e9) / 1e6);
            System.out.printf("allocated per parse: %,d KB; heap in use before %,d KB,"
                    + " peak heap during the runs %,d KB%n", allocated >> 10, heapBefore >> 10,
                    peakHeap() >> 10);
        } finally {
            Files.deleteIfExists(plan);
        }
    }

    private static PlanChange read(PlanReader reader, Path plan) throws IOException {
        try (InputStream in = Files.newInputStream(plan)) {
            return reader.read(new LimitedInputStream(in, "plan", LimitedInputStream.PLAN_LIMIT));
        }
    }

    /** A plan shaped like Terraform's: big before/after values, prior state, configuration. */
    private static void generate(Path file, int resources) throws IOException {
        String[] actions = {"[\"create\"]", "[\"update\"]", "[\"delete\",\"create\"]"};
        String blob = "x".repeat(1200);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("{\"format_version\":\"1.2\",\"terraform_version\":\"1.9.0\",");
            w.write("\"planned_values\":{\"root_module\":{\"resources\":[]}},");
            w.write("\"resource_changes\":[");
            for (int i = 0; i < resources; i++) {
                if (i > 0) {
                    w.write(',');
                }
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

    private static long usedHeap() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
