package io.tidegate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.tidegate.decision.Decision;
import io.tidegate.policy.PolicySet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate test [DIR or FILE...]}: runs policy test files, one line per case
 * ({@code PASS name} / {@code FAIL name: expected ..., got ...}), then {@code N passed, M failed}.
 * A directory is searched recursively for YAML files with a top-level {@code cases:} list.
 * Exit 0 only when every case passes (and there is at least one); 1 otherwise.
 */
@Command(name = "test", description = "Run policy test cases (like opa test), for CI.")
public final class TestCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(arity = "0..*", paramLabel = "DIR|FILE",
            description = "Test files or directories (default: policies).")
    private List<Path> paths = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        List<Path> roots = paths.isEmpty() ? List.of(Path.of("policies")) : paths;
        for (Path root : roots) {
            if (!Files.exists(root)) {
                spec.commandLine().getErr().println(root + ": no such file or directory");
                return 2;
            }
        }
        List<Path> files = testFiles(roots);
        CaseRunner runner = new CaseRunner();
        int passed = 0;
        int failed = 0;
        for (Path file : files) {
            List<PolicyCase> cases;
            try {
                cases = CaseReader.readTestFile(file);
            } catch (CaseFileException e) {
                out.println("FAIL " + file + ": " + e.getMessage());
                failed++;
                continue;
            }
            for (PolicyCase c : cases) {
                if (run(runner, file, c, out)) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        if (passed + failed == 0) {
            out.println("no policy test files found in " + roots);
        }
        out.println(passed + " passed, " + failed + " failed");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static boolean run(CaseRunner runner, Path file, PolicyCase c, PrintWriter out) {
        PolicyCase.Expectation expect = c.expect().orElseThrow();
        Decision d;
        try {
            // Default policy: the one beside the tests directory's parent (policies/policy.yaml
            // for policies/tests/x.yaml).
            Path policyFile = c.policy().orElse(defaultPolicy(file));
            PolicySet policy = runner.policy(policyFile);
            d = CaseRunner.decide(policy, c, c.at().orElseThrow());
        } catch (CaseFileException e) {
            out.println("FAIL " + c.name() + ": " + e.getMessage());
            return false;
        }
        List<String> wrong = CaseRunner.mismatches(expect, d);
        if (wrong.isEmpty()) {
            out.println("PASS " + c.name());
            return true;
        }
        out.println("FAIL " + c.name() + ": expected "
                + CaseRunner.describe(expect.allow(), expect.reasons())
                + (expect.absent().isEmpty() ? "" : " without [" + String.join(", ",
                        expect.absent()) + "]")
                + ", got " + CaseRunner.describe(d.isAllowed(), d.codes()));
        return false;
    }

    static Path defaultPolicy(Path testFile) {
        Path dir = testFile.toAbsolutePath().getParent();
        Path parent = dir.getParent() == null ? dir : dir.getParent();
        return parent.resolve("policy.yaml");
    }

    private static List<Path> testFiles(List<Path> roots) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                out.add(root);
                continue;
            }
            try (Stream<Path> walk = Files.walk(root)) {
                walk.filter(Files::isRegularFile)
                        .filter(p -> p.toString().endsWith(".yaml")
                                || p.toString().endsWith(".yml"))
                        .filter(CaseReader::isTestFile)
                        .sorted()
                        .forEach(out::add);
            }
        }
        return out;
    }
}
