package io.tidegate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tidegate.wiring.ConfigException;
import io.tidegate.audit.Outcome;
import io.tidegate.audit.RecordedDecision;
import io.tidegate.audit.ReplayResult;
import io.tidegate.audit.Replayer;
import io.tidegate.store.AuditArchive;
import io.tidegate.store.AuditEntry;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.AuditRecord;
import io.tidegate.store.StoreException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tidegate replay DECISION_ID | --repo R --pr N | --since P [--repo R] [--json]}: decides
 * recorded decisions again from their audit rows, with the policy version each row names and
 * its recorded instant, and compares verdict, reason codes and messages. Prints {@code same} or
 * the differences; exit 0 when all are the same, 1 otherwise, 2 for bad input or a store that
 * cannot be read. Reads the configured store read-only, one page at a time.
 */
@Command(name = "replay", description = "Decide recorded decisions again and compare.")
public final class ReplayCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "DECISION_ID",
            description = "The id of one audit record (from the export or the API).")
    private String id;

    @Option(names = "--repo", paramLabel = "OWNER/NAME", description = "Only this repository.")
    private String repo;

    @Option(names = "--pr", paramLabel = "N", description = "Every decision of this PR "
            + "(with --repo).")
    private Integer pr;

    @Option(names = "--since", paramLabel = "PERIOD", description = "Decisions since: 30d, "
            + "12h, 2026-11-01 or an ISO-8601 time.")
    private String since;

    @Option(names = "--json", description = "Print the results as JSON.")
    private boolean json;

    private final Map<String, String> env;
    private final Replayer.Decider decider;
    private final Clock clock;

    public ReplayCommand() {
        this(System.getenv(), Replayer.Decider.ENGINE, Clock.systemUTC());
    }

    /** With another environment and engine (tests: a mutated engine). */
    ReplayCommand(Map<String, String> env, Replayer.Decider decider, Clock clock) {
        this.env = env;
        this.decider = decider;
        this.clock = clock;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        Optional<AuditQuery> query;
        try {
            query = query();
        } catch (AuditArchives.BadOption e) {
            err.println("error: " + e.getMessage());
            return 2;
        }
        try (AuditArchive archive = AuditArchives.open(env)) {
            Replayer replayer = new Replayer(archive.policyVersions(), decider);
            if (query.isEmpty()) {
                Optional<AuditEntry> entry = archive.log().find(id);
                if (entry.isEmpty()) {
                    err.println("error: no audit record with id \"" + id + "\" in "
                            + archive.describe());
                    return 2;
                }
                return report(replayer, each -> each.accept(entry.get()), true);
            }
            return report(replayer, each -> archive.log().forEach(query.get(), each), false);
        } catch (ConfigException | StoreException e) {
            err.println("tidegate: " + e.getMessage());
            return 2;
        }
    }

    /** The range asked for; empty for a single id. */
    private Optional<AuditQuery> query() throws AuditArchives.BadOption {
        int ways = (id != null ? 1 : 0) + (pr != null ? 1 : 0) + (since != null ? 1 : 0);
        if (ways != 1) {
            throw new AuditArchives.BadOption("give one of DECISION_ID, --repo R --pr N, or "
                    + "--since PERIOD");
        }
        if (id != null) {
            if (repo != null) {
                throw new AuditArchives.BadOption("--repo selects a range; not with a "
                        + "DECISION_ID");
            }
            return Optional.empty();
        }
        if (pr != null) {
            if (repo == null) {
                throw new AuditArchives.BadOption("--pr needs --repo OWNER/NAME");
            }
            return Optional.of(AuditQuery.all().pullRequest(repo, pr));
        }
        AuditQuery q = AuditQuery.all().since(AuditArchives.moment("--since", since,
                clock.instant()));
        return Optional.of(repo == null ? q : q.repo(repo));
    }

    private int report(Replayer replayer, Consumer<Consumer<AuditEntry>> entries, boolean one)
            throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        long[] counts = new long[3];
        JsonGenerator g = json ? new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()
                : null;
        if (g != null) {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
        }
        entries.accept(e -> {
            if (!e.record().isDecision()) {
                return; // events (overrides, reloads, ...) are not decided
            }
            ReplayResult r = replayer.replay(e);
            counts[r.status().ordinal()]++;
            if (g != null) {
                writeJson(g, r);
            } else {
                printText(out, r, one);
            }
        });
        if (g != null) {
            g.writeEndArray();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("replayed", counts[0] + counts[1] + counts[2]);
            g.writeNumberField("same", counts[0]);
            g.writeNumberField("different", counts[1]);
            g.writeNumberField("notReplayable", counts[2]);
            g.writeEndObject();
            g.writeEndObject();
            g.flush();
            out.println();
        } else if (!one) {
            out.println((counts[0] + counts[1] + counts[2]) + " replayed: " + counts[0]
                    + " same, " + counts[1] + " different, " + counts[2] + " not replayable");
        }
        out.flush();
        return counts[1] + counts[2] == 0 ? 0 : 1;
    }

    private static void printText(PrintWriter out, ReplayResult r, boolean one) {
        AuditRecord row = r.entry().record();
        out.println(one ? r.status().word() : r.entry().id() + " " + r.status().word() + " "
                + row.command() + " " + row.repo() + "#" + row.pr() + " " + row.project()
                + " at " + row.time());
        r.differences().forEach(d -> out.println("  " + d));
        if (r.status() != ReplayResult.Status.SAME) {
            r.note().ifPresent(n -> out.println("  " + n));
        }
    }

    private static void writeJson(JsonGenerator g, ReplayResult r) {
        try {
            AuditRecord row = r.entry().record();
            g.writeStartObject();
            g.writeStringField("id", r.entry().id());
            g.writeStringField("status", r.status().word());
            g.writeStringField("time", row.time().toString());
            g.writeStringField("repo", row.repo());
            g.writeNumberField("pr", row.pr());
            g.writeStringField("project", row.project());
            g.writeStringField("environment", row.environment());
            g.writeStringField("command", row.command());
            g.writeStringField("policyHash", row.policyHash());
            if (r.recorded().isPresent()) {
                outcome(g, "recorded", r.recorded().get());
            }
            if (r.replayed().isPresent()) {
                outcome(g, "replayed", r.replayed().get());
            }
            g.writeArrayFieldStart("differences");
            for (String d : r.differences()) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeStringField("note", r.note().orElse(null));
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void outcome(JsonGenerator g, String name, Outcome o) throws IOException {
        g.writeObjectFieldStart(name);
        g.writeStringField("decision", o.verdict());
        g.writeArrayFieldStart("reasons");
        List<RecordedDecision.RecordedReason> reasons = o.reasons().orElse(null);
        for (int i = 0; i < o.codes().size(); i++) {
            g.writeStartObject();
            g.writeStringField("code", o.codes().get(i));
            if (reasons != null && i < reasons.size()) {
                g.writeStringField("message", reasons.get(i).message());
                g.writeStringField("remedy", reasons.get(i).remedy().orElse(null));
            }
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

}
