package io.tidegate.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidegate.audit.WhatIf;

/**
 * The what-if report: Markdown (for the policy PR) or JSON, the counts first, then every
 * changed decision read line by line from the command's temporary file. Repository and
 * project names come from the audit; table cells escape {@code |}, backticks and line breaks
 * so no recorded text can break out of its cell.
 */
final class WhatIfReport {
    private WhatIfReport() {}

    static void markdown(PrintWriter out, Path policy, String sha, Instant from, String repo,
            WhatIf.Counts n, BufferedReader changes) throws IOException {
        out.println("## What-if: `" + cell(policy.toString()) + "` (sha256 "
                + sha.substring(0, Math.min(12, sha.length())) + ")");
        out.println();
        out.println("Recorded decisions since " + from + (repo == null ? "" : " in "
                + cell(repo)) + ": " + n.replayed() + " decided again, " + n.changed()
                + " would change" + (n.unreadable() == 0 ? "." : "; " + n.unreadable()
                + " could not be read (see `tidegate replay`)."));
        out.println();
        out.println("| change | decisions |");
        out.println("|---|---:|");
        out.println("| allow → deny | " + n.allowToDeny() + " |");
        out.println("| deny → allow | " + n.denyToAllow() + " |");
        out.println("| reasons changed | " + n.reasonsChanged() + " |");
        if (n.changed() == 0) {
            return;
        }
        out.println();
        out.println("### Changed decisions");
        out.println();
        out.println("| PR | environment | command | time (UTC) | recorded | candidate |");
        out.println("|---|---|---|---|---|---|");
        for (String line = changes.readLine(); line != null; line = changes.readLine()) {
            JsonNode c = WhatIfCommand.read(line);
            out.println("| " + cell(c.get("repo").asText()) + "#" + c.get("pr").asInt() + " "
                    + cell(c.get("project").asText()) + " | "
                    + cell(c.get("environment").asText()) + " | " + c.get("command").asText()
                    + " | " + c.get("time").asText() + " | " + outcome(c.get("recorded"))
                    + " | " + outcome(c.get("candidate")) + " |");
        }
    }

    static void json(PrintWriter out, Path policy, String sha, Instant from, String repo,
            WhatIf.Counts n, BufferedReader changes) throws IOException {
        out.println("{");
        out.println("  \"policy\": " + quote(policy.toString()) + ",");
        out.println("  \"policySha256\": " + quote(sha) + ",");
        out.println("  \"since\": " + quote(from.toString()) + ",");
        out.println("  \"repo\": " + (repo == null ? "null" : quote(repo)) + ",");
        out.println("  \"counts\": {\"replayed\": " + n.replayed() + ", \"allowToDeny\": "
                + n.allowToDeny() + ", \"denyToAllow\": " + n.denyToAllow()
                + ", \"reasonsChanged\": " + n.reasonsChanged() + ", \"unreadable\": "
                + n.unreadable() + "},");
        out.print("  \"changed\": [");
        String separator = "\n    ";
        for (String line = changes.readLine(); line != null; line = changes.readLine()) {
            out.print(separator + line);
            separator = ",\n    ";
        }
        out.println(separator.startsWith(",") ? "\n  ]" : "]");
        out.println("}");
    }

    /** {@code deny: approvals-missing, window-closed}. */
    private static String outcome(JsonNode o) {
        List<String> codes = new ArrayList<>();
        o.get("reasons").forEach(r -> codes.add(cell(r.asText())));
        return o.get("decision").asText() + (codes.isEmpty() ? "" : ": "
                + String.join(", ", codes));
    }

    private static String cell(String text) {
        return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
                .replace("\r", " ").replace("\n", " ");
    }

    private static String quote(String s) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
