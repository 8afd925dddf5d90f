package io.tidegate.cli;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.wiring.ConfigException;
import io.tidegate.audit.Outcome;
import io.tidegate.audit.Replayer;
import io.tidegate.audit.WhatIf;
import io.tidegate.policy.PolicyFileException;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import io.tidegate.store.AuditArchive;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidegate what-if --policy NEW.yaml [--since 30d] [--repo R] [--format md|json]}: decides
 * the recorded decisions of the period again under a candidate policy and reports what would
 * have changed: the counts, then each changed decision (PR, environment, time, old and new
 * reasons). Markdown by default, to paste into the policy PR. Reads the configured store
 * read-only and streams it: changed decisions wait in a temporary file, never in the heap.
 * Exit 0 when printed (changes or not), 2 for bad input, an invalid candidate or a store that
 * cannot be read.
 */
@Command(name = "what-if", description = "Show what a candidate policy would have changed.")
public final class WhatIfCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Output formats. */
    public enum Format { md, json }

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--policy", required = true, paramLabel = "FILE",
            description = "The candidate policy.")
    private Path policyFile;

    @Option(names = "--since", defaultValue = "30d", paramLabel = "PERIOD",
            description = "Decisions since: 30d (default), 12h, 2026-11-01 or an ISO time.")
    private String since;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "Only this repository.")
    private String repo;

    @Option(names = "--format", defaultValue = "md", description = "md (default) or json")
    private Format format;

    private final Map<String, String> env;
    private final Clock clock;

    public WhatIfCommand() {
        this(System.getenv(), Clock.systemUTC());
    }

    WhatIfCommand(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PolicySet candidate;
        Instant from;
        try {
            candidate = PolicyParser.parse(policyFile);
            from = AuditArchives.moment("--since", since, clock.instant());
        } catch (PolicyFileException e) {
            err.println(e.getMessage());
            return 2;
        } catch (java.nio.file.NoSuchFileException e) {
            err.println("error: --policy: no such file " + policyFile);
            return 2;
        } catch (AuditArchives.BadOption e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        AuditQuery q = AuditQuery.all().since(from);
        Path changes = Files.createTempFile("tidegate-what-if", ".ndjson");
        try (AuditArchive archive = AuditArchives.open(env)) {
            WhatIf whatIf = new WhatIf(new Replayer(archive.policyVersions(),
                    Replayer.Decider.ENGINE), candidate);
            try (BufferedWriter w = Files.newBufferedWriter(changes, StandardCharsets.UTF_8)) {
                archive.log().forEach(repo == null ? q : q.repo(repo), e -> whatIf.consider(e)
                        .ifPresent(c -> line(w, c)));
            }
            print(candidate, from, whatIf.counts(), changes);
            return 0;
        } catch (ConfigException | StoreException e) {
            err.println("tidegate: " + e.getMessage());
            return 2;
        } finally {
            Files.deleteIfExists(changes);
        }
    }

    private static void line(BufferedWriter w, WhatIf.Change c) {
        AuditRecord r = c.entry().record();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.entry().id());
        m.put("change", c.kind());
        m.put("repo", r.repo());
        m.put("pr", r.pr());
        m.put("project", r.project());
        m.put("environment", r.environment());
        m.put("command", r.command());
        m.put("time", r.time().toString());
        m.put("recorded", outcome(c.recorded()));
        m.put("candidate", outcome(c.candidate()));
        try {
            w.write(JSON.writeValueAsString(m));
            w.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> outcome(Outcome o) {
        return Map.of("decision", o.verdict(), "reasons", o.codes());
    }

    private void print(PolicySet candidate, Instant from, WhatIf.Counts n, Path changes)
            throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (BufferedReader in = Files.newBufferedReader(changes, StandardCharsets.UTF_8)) {
            if (format == Format.json) {
                WhatIfReport.json(out, policyFile, candidate.sha256(), from, repo, n, in);
            } else {
                WhatIfReport.markdown(out, policyFile, candidate.sha256(), from, repo, n, in);
            }
        }
        out.flush();
    }

    static JsonNode read(String line) throws IOException {
        return JSON.readTree(line);
    }
}
