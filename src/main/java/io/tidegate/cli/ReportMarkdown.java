package io.tidegate.cli;

import java.util.List;

import io.tidegate.store.Deployment;
import io.tidegate.store.DeploymentStats;

/** The deployment report as Markdown (seed 001's {@code deployment-summary} file). */
final class ReportMarkdown {
    private ReportMarkdown() {}

    static String render(DeploymentStats s, List<Deployment> recent, List<Deployment> failures) {
        StringBuilder b = new StringBuilder();
        b.append("# Deployment report: ").append(s.environment().orElse("all environments"))
                .append(", last ").append(s.days()).append(" days\n\n");
        b.append("Generated ").append(s.generatedAt()).append(".\n\n");
        b.append("| period | total | succeeded | failed | unknown | success rate "
                + "| average duration |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        row(b, "last " + s.days() + " days", s.stats());
        row(b, "last 7 days", s.last7Days());
        row(b, "last 30 days", s.last30Days());
        b.append("\n## Recent deployments\n\n");
        deployments(b, recent);
        b.append("\n## Failures\n\n");
        deployments(b, failures);
        return b.toString();
    }

    private static void row(StringBuilder b, String label, DeploymentStats.Period p) {
        b.append("| ").append(label).append(" | ").append(p.total()).append(" | ")
                .append(p.succeeded()).append(" | ").append(p.failed()).append(" | ")
                .append(p.unknown()).append(" | ")
                .append(p.successRatePercent().map(r -> r.toPlainString() + " %").orElse("–"))
                .append(" | ")
                .append(p.averageDuration().map(d -> DeploymentStats.seconds(d) + " s")
                        .orElse("–"))
                .append(" |\n");
    }

    private static void deployments(StringBuilder b, List<Deployment> ds) {
        if (ds.isEmpty()) {
            b.append("None.\n");
            return;
        }
        b.append("| started | repo | PR | project | actor | result | duration |\n");
        b.append("|---|---|---|---|---|---|---|\n");
        for (Deployment d : ds) {
            b.append("| ").append(d.startedAt()).append(" | ").append(d.repo()).append(" | #")
                    .append(d.pr()).append(" | ").append(d.project()).append(" | ")
                    .append(d.actor()).append(" | ").append(d.result().word()).append(" | ")
                    .append(d.duration().map(x -> DeploymentStats.seconds(x) + " s")
                            .orElse("–"))
                    .append(" |\n");
        }
    }
}
