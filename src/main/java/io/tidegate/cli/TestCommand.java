package io.tidegate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import io.tidegate.decision.Decision;
import io.tidegate.policy.PolicySet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate test [DIR or FILE...]}: runs policy test files, one line per case
 * ({@code PASS name} / {@code FAIL name: expected ..., got ...}), then
 * {@code N passed, M failed (C cases in F files)}.
 *
 * <p>Every {@code .yaml}/{@code .yml} file found under a directory is a test file or an error,
 * unless it is a policy (a mapping with {@code version:}) that some case uses, by
 * {@code policy:} or as its default: a broken or misspelt test file must never be skipped in
 * silence, or CI stays green while running none of its cases. Files that cannot be read as test
 * files are reported as {@code file:line:column: message} and the run exits 2 without running
 * any case. Exit 0 only when every case passes (and there is at least one); 1 otherwise.
 */
@Command(name = "test", description = "Run policy test cases (like opa test), for CI.")
public final class TestCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(arity = "0..*", paramLabel = "DIR|FILE",
            description = "Test files or directories (default: policies).")
    private List<Path> paths = new ArrayList<>();

    /** A test file and its cases. */
    private record TestFile(Path file, List<PolicyCase> cases) {}

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<Path> roots = paths.isEmpty() ? List.of(Path.of("policies")) : paths;
        for (Path root : roots) {
            if (!Files.exists(root)) {
                err.println(root + ": no such file or directory");
                return 2;
            }
        }
        List<String> errors = new ArrayList<>();
        List<TestFile> files = read(roots, errors);
        if (!errors.isEmpty()) {
            errors.forEach(err::println);
            err.println("no case was run: fix the files above (every YAML file under a test "
                    + "directory is a test file, or a policy a case uses)");
            return 2;
        }
        if (files.isEmpty()) {
            out.println("no policy test files found in " + roots);
            out.println("0 passed, 0 failed");
            return 1;
        }
        CaseRunner runner = new CaseRunner();
        int passed = 0;
        int failed = 0;
        for (TestFile f : files) {
            for (PolicyCase c : f.cases()) {
                if (run(runner, f.file(), c, out)) {
                    passed++;
                } else {
                    failed++;
                }
            }
        }
        out.println(passed + " passed, " + failed + " failed (" + (passed + failed)
                + plural(passed + failed, " case") + " in " + files.size()
                + plural(files.size(), " file") + ")");
        return failed == 0 && passed > 0 ? 0 : 1;
    }

    private static String plural(int n, String word) {
        return n == 1 ? word : word + "s";
    }

    /**
     * Reads every test file; problems go to {@code errors}. Files named on the command line are
     * test files; files found in a directory may also be a policy some case uses.
     */
    private static List<TestFile> read(List<Path> roots, List<String> errors)
            throws IOException {
        List<TestFile> tests = new ArrayList<>();
        List<Path> policies = new ArrayList<>();
        for (Path root : roots) {
            for (Path file : yamlFiles(root)) {
                if (!file.equals(root) && CaseReader.looksLikePolicy(file)) {
                    policies.add(file);
                    continue;
                }
                try {
                    tests.add(new TestFile(file, CaseReader.readTestFile(file)));
                } catch (CaseFileException e) {
                    errors.add(e.getMessage());
                }
            }
        }
        Set<Path> used = new HashSet<>();
        for (TestFile t : tests) {
            t.cases().forEach(c -> used.add(normal(c.policy().orElse(defaultPolicy(t.file())))));
        }
        for (Path p : policies) {
            if (!used.contains(normal(p))) {
                errors.add(p + ":1:1: a policy no case uses: under a test directory every YAML "
                        + "file is a test file (a top-level \"cases:\" list), or a policy a case "
                        + "names with \"policy:\" (or the default policy.yaml beside the tests "
                        + "directory)");
            }
        }
        errors.sort(Comparator.naturalOrder());
        return tests;
    }

    private static Path normal(Path p) {
        return p.toAbsolutePath().normalize();
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

    private static List<Path> yamlFiles(Path root) throws IOException {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList();
        }
    }
}
