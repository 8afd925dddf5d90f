package io.tidegate.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import io.tidegate.policy.Durations;
import io.tidegate.policy.Environment;
import io.tidegate.policy.PolicySet;
import io.tidegate.policy.Window;
import io.tidegate.policy.Windows;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate windows [--policy FILE] --env NAME [--from ISO] [--days N]}: the apply
 * window's open periods ahead, and why each gap is closed ("outside open hours" or the freezes
 * on its dates). Exit 0, or 2 on bad input.
 */
@Command(name = "windows", description = "List an environment's apply windows ahead.")
public final class WindowsCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--policy", paramLabel = "FILE",
            description = "The policy (default: policies/policy.yaml).")
    private Path policyFile = Path.of("policies", "policy.yaml");

    @CommandLine.Option(names = "--env", required = true, paramLabel = "NAME",
            description = "The environment.")
    private String env;

    @CommandLine.Option(names = "--from", paramLabel = "ISO-8601",
            description = "Start (default: now).")
    private String from;

    @CommandLine.Option(names = "--days", paramLabel = "N",
            description = "How many days (default 7).")
    private int days = 7;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            PolicySet policy = new CaseRunner().policy(policyFile);
            Environment e = environment(policy);
            Instant start = start();
            if (days < 1 || days > 400) {
                throw new CaseFileException("--days must be 1 to 400, found " + days);
            }
            print(out, policy, e, start);
            return 0;
        } catch (CaseFileException x) {
            err.println(x.getMessage());
            return 2;
        }
    }

    private void print(PrintWriter out, PolicySet policy, Environment e, Instant start) {
        if (!e.apply().enabled()) {
            out.println(e.name() + ": apply is disabled (plan only)");
            return;
        }
        Optional<Window> w = policy.window(e.apply().window());
        if (w.isEmpty()) {
            out.println(e.name() + ": apply at any time (window: always)");
            return;
        }
        Window window = w.get();
        out.println(e.name() + ": window " + window.name() + " (" + window.zone().getId() + "), "
                + days + (days == 1 ? " day" : " days") + " from "
                + Windows.format(start, window.zone()));
        for (Windows.Stretch s : Windows.calendar(window, start,
                start.plus(Duration.ofDays(days)))) {
            out.println((s.open() ? "open    " : "closed  ")
                    + Windows.format(s.period().start(), window.zone()) + " -> "
                    + Windows.format(s.period().end(), window.zone())
                    + (s.open() ? "" : "  " + String.join("; ", s.why())));
        }
        window.override().ifPresent(o -> out.println("override: " + String.join(" or ", o.by())
                + " may lift it for " + Durations.format(o.expires())));
    }

    private Environment environment(PolicySet policy) throws CaseFileException {
        Optional<Environment> e = policy.environment(env);
        if (e.isEmpty()) {
            TreeSet<String> names = new TreeSet<>();
            policy.environments().forEach(x -> names.add(x.name()));
            throw new CaseFileException("unknown environment \"" + env + "\" (defined: "
                    + String.join(", ", names) + ")");
        }
        return e.get();
    }

    private Instant start() throws CaseFileException {
        if (from == null) {
            return Instant.now();
        }
        try {
            return OffsetDateTime.parse(from).toInstant();
        } catch (DateTimeParseException e) {
            throw new CaseFileException("--from must be an ISO-8601 time with an offset, such as "
                    + "2026-11-23T00:00:00+09:00, found \"" + from + "\"");
        }
    }
}
