package io.tidegate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate validate [FILE]}: prints {@code OK} and exits 0 for a usable policy; otherwise
 * prints every problem as {@code file:line:column: message} and exits 1 (2 when unreadable).
 * A {@code codeowners: true} is a problem when the environment has no GitHub credentials
 * ({@code GITHUB_TOKEN} or {@code GITHUB_APP_ID}, as the server reads them).
 */
@Command(name = "validate", description = "Check a policy file; print every problem at once.")
public final class ValidateCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Parameters(index = "0", arity = "0..1", paramLabel = "FILE",
            description = "The policy file (default: policies/policy.yaml).")
    private Path file = Path.of("policies", "policy.yaml");

    /** The process environment; tests give their own. */
    java.util.Map<String, String> environment = System.getenv();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!Files.isRegularFile(file)) {
            err.println(file + ": no such file");
            return 2;
        }
        try {
            PolicyParser.parse(Files.readString(file), file.toString(), hasGitHubCredentials());
            out.println("OK");
            return 0;
        } catch (PolicyFileException e) {
            e.report().forEach(out::println);
            return 1;
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return 2;
        }
    }

    private boolean hasGitHubCredentials() {
        return !environment.getOrDefault("GITHUB_TOKEN", "").isBlank()
                || !environment.getOrDefault("GITHUB_APP_ID", "").isBlank();
    }
}
