package io.tidegate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tidegate.wiring.Json;
import io.tidegate.decision.Decision;
import io.tidegate.policy.PolicySet;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate simulate --case FILE [--policy FILE] [--at ISO-8601] [--json]}: decides one
 * described situation and prints the decision with every reason. Exit 0 allow, 1 deny, 2 bad
 * input. The moment is {@code --at}, else the case's {@code at}, else now.
 */
@Command(name = "simulate", description = "Dry-run the policy against a described PR.")
public final class SimulateCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--case", required = true, paramLabel = "FILE",
            description = "A YAML case (the keys of a policy test case).")
    private Path caseFile;

    @CommandLine.Option(names = "--policy", paramLabel = "FILE",
            description = "The policy (default: the case's policy:, else policies/policy.yaml).")
    private Path policyFile;

    @CommandLine.Option(names = "--at", paramLabel = "ISO-8601",
            description = "The moment, e.g. 2026-11-27T10:00:00+09:00.")
    private String at;

    @CommandLine.Option(names = "--json", description = "Print the decision as JSON.")
    private boolean json;

    @Override
    public Integer call() throws JsonProcessingException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PolicyCase c = CaseReader.readCaseFile(caseFile);
            Path policyPath = Optional.ofNullable(policyFile)
                    .or(c::policy).orElse(Path.of("policies", "policy.yaml"));
            PolicySet policy = new CaseRunner().policy(policyPath);
            Instant moment = moment(c);
            Decision d = CaseRunner.decide(policy, c, moment);
            if (json) {
                out.println(Json.mapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(DecisionText.json(d, moment)));
            } else {
                DecisionText.lines(d, moment, policy.timezone()).forEach(out::println);
            }
            return d.isAllowed() ? 0 : 1;
        } catch (CaseFileException e) {
            err.println(e.getMessage());
            return 2;
        }
    }

    private Instant moment(PolicyCase c) throws CaseFileException {
        if (at == null) {
            // The CLI is an edge: reading the clock here is allowed, never in decision/.
            return c.at().orElseGet(Instant::now);
        }
        try {
            return OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw new CaseFileException("--at must be an ISO-8601 time with an offset, such as "
                    + "2026-11-27T10:00:00+09:00, found \"" + at + "\"");
        }
    }
}
