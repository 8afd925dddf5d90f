package io.tidegate.cli;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.audit.AuditJson;
import io.tidegate.audit.RedactedAuditLog;
import io.tidegate.store.AuditArchive;
import io.tidegate.store.AuditQuery;
import io.tidegate.store.DynamoDbAuditBackfill;
import io.tidegate.store.DynamoDbStore;
import io.tidegate.store.StoreException;
import picocli.CommandLine;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tidegate audit export}: the audit as NDJSON, for a SIEM; {@code tidegate audit
 * backfill}: DynamoDB audit rows written before the organisation-wide index put into it.
 */
@Command(name = "audit", description = "Read the audit of the configured store.",
        subcommands = {AuditCommand.Export.class, AuditCommand.Backfill.class})
public final class AuditCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * {@code tidegate audit export --since P [--until T] [--environment E] [--decision V]
     * [--repo R] > decisions.ndjson}: one JSON object per line, oldest first, decisions and
     * events (overrides, lock releases, policy reloads, freezes) in one stream, as
     * {@code GET /api/v1/decisions} with {@code Accept: application/x-ndjson} gives them
     * (credentials in caller-written text masked, {@code RedactedAuditLog}). Reads
     * the configured store read-only, one page at a time, so any period fits in a small heap.
     * Exit 0 written, 2 bad input or a store that cannot be read.
     */
    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write audit records as NDJSON to standard output.")
    public static final class Export implements Callable<Integer> {
        private static final ObjectMapper JSON = new ObjectMapper();

        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--since", required = true, paramLabel = "PERIOD",
                description = "From: 30d, 12h, 2026-11-01 or an ISO-8601 time.")
        private String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Before this moment.")
        private String until;

        @Option(names = "--environment", paramLabel = "NAME")
        private String environment;

        @Option(names = {"--decision", "--verdict"}, paramLabel = "allow|deny|none")
        private String decision;

        @Option(names = "--repo", paramLabel = "OWNER/NAME")
        private String repo;

        private final Map<String, String> env;
        private final Clock clock;

        public Export() {
            this(System.getenv(), Clock.systemUTC());
        }

        Export(Map<String, String> env, Clock clock) {
            this.env = env;
            this.clock = clock;
        }

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            AuditQuery q;
            try {
                q = query(clock.instant());
            } catch (AuditArchives.BadOption e) {
                err.println("error: " + e.getMessage());
                return 2;
            }
            PrintWriter out = spec.commandLine().getOut();
            try (AuditArchive archive = AuditArchives.open(env)) {
                // a SIEM is a reader too: masked as GET /api/v1/decisions is (RedactedAuditLog)
                RedactedAuditLog.of(archive.log()).forEach(q, e -> {
                    try {
                        out.write(JSON.writeValueAsString(AuditJson.of(e)));
                        out.write('\n');
                    } catch (JsonProcessingException x) {
                        throw new IllegalStateException("an entry is always JSON", x);
                    }
                });
                out.flush();
                return 0;
            } catch (ConfigException | StoreException e) {
                out.flush();
                err.println("tidegate: " + e.getMessage());
                return 2;
            }
        }

        private AuditQuery query(Instant now) throws AuditArchives.BadOption {
            AuditQuery q = AuditQuery.all().since(AuditArchives.moment("--since", since, now));
            if (until != null) {
                q = q.until(AuditArchives.moment("--until", until, now));
            }
            if (environment != null) {
                q = q.environment(environment);
            }
            if (decision != null) {
                if (!decision.matches("allow|deny|none")) {
                    throw new AuditArchives.BadOption("--decision: expected allow, deny or "
                            + "none, got \"" + decision + "\"");
                }
                q = q.decision(decision);
            }
            return repo == null ? q : q.repo(repo);
        }
    }

    /**
     * {@code tidegate audit backfill [--resume POSITION]}: puts DynamoDB audit rows written
     * before the {@code byTime} index (Tidegate before issue 18) into it, so the organisation-
     * wide reading ({@code GET /api/v1/decisions} without a repo, {@code audit export}, the
     * dashboard, {@code replay ID}) has them ({@link DynamoDbAuditBackfill}). Run once after the
     * upgrade, with credentials that may scan and update the audit table; it is not run at start
     * (a table scan per replica and restart). Idempotent; an interrupted run goes on from the
     * position it printed last. With SQLite there is nothing to do. Exit 0 done, 2 bad input
     * or a store failure.
     */
    @Command(name = "backfill", mixinStandardHelpOptions = true,
            description = "Put DynamoDB audit rows written before the organisation-wide index "
                    + "into it.")
    public static final class Backfill implements Callable<Integer> {
        @CommandLine.Spec
        private CommandLine.Model.CommandSpec spec;

        @Option(names = "--resume", paramLabel = "POSITION",
                description = "Go on from the position an interrupted run printed.")
        private String resume;

        private final Map<String, String> env;

        public Backfill() {
            this(System.getenv());
        }

        Backfill(Map<String, String> env) {
            this.env = env;
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Config.Storage s;
            try {
                s = Config.from(env).storage();
            } catch (ConfigException e) {
                err.println("tidegate: " + e.getMessage());
                return 2;
            }
            if (s.kind() != Config.StoreKind.DYNAMODB) {
                out.println("nothing to backfill: SQLite reads the whole audit by its time index");
                return 0;
            }
            try (DynamoDbClient client = DynamoDbStore.clientBuilder(s.awsRegion(),
                    s.dynamoDbEndpoint()).build()) {
                DynamoDbAuditBackfill.Progress done = new DynamoDbAuditBackfill(client,
                        s.tablePrefix()).run(Optional.ofNullable(resume), p -> {
                            p.resumeFrom().ifPresent(r -> err.println("scanned " + p.scanned()
                                    + ", indexed " + p.updated() + "; if interrupted, go on "
                                    + "with --resume " + r));
                        });
                out.println("done: scanned " + done.scanned() + " audit rows, put "
                        + done.updated() + " into the organisation-wide index");
                return 0;
            } catch (IllegalArgumentException e) {
                err.println("error: --resume: " + e.getMessage());
                return 2;
            } catch (StoreException e) {
                err.println("tidegate: " + e.getMessage());
                return 2;
            }
        }
    }
}
