package io.tidegate.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;

/**
 * The two report files a policy case may name: an Infracost JSON output (its
 * {@code diffTotalMonthlyCost} and {@code totalMonthlyCost}, decimal strings or {@code null})
 * and a {@code terraform show -json} plan (its {@code resource_changes[].change.actions}).
 * Minimal on purpose: the server reads these through {@code infracost/} and {@code atlantis/}.
 */
final class ReportFiles {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ReportFiles() {}

    static CostChange infracost(Path file) throws CaseFileException {
        JsonNode root = read(file);
        if (!root.has("totalMonthlyCost") && !root.has("diffTotalMonthlyCost")) {
            throw new CaseFileException(file + ": not an Infracost JSON output (no "
                    + "totalMonthlyCost or diffTotalMonthlyCost)");
        }
        return new CostChange(money(file, root.path("diffTotalMonthlyCost")),
                money(file, root.path("totalMonthlyCost")));
    }

    /** Creates, updates and deletes per type; a replace counts as a create and a delete. */
    static PlanChange plan(Path file) throws CaseFileException {
        JsonNode root = read(file);
        if (!root.has("resource_changes") && !root.has("format_version")) {
            throw new CaseFileException(file + ": not a terraform show -json plan");
        }
        Map<String, Integer> created = new TreeMap<>();
        Map<String, Integer> updated = new TreeMap<>();
        Map<String, Integer> deleted = new TreeMap<>();
        for (JsonNode rc : root.path("resource_changes")) {
            String type = rc.path("type").asText();
            List<String> actions = new java.util.ArrayList<>();
            rc.path("change").path("actions").forEach(a -> actions.add(a.asText()));
            if (actions.contains("create")) {
                created.merge(type, 1, Integer::sum);
            }
            if (actions.contains("delete")) {
                deleted.merge(type, 1, Integer::sum);
            }
            if (actions.contains("update")) {
                updated.merge(type, 1, Integer::sum);
            }
        }
        return new PlanChange(created, updated, deleted);
    }

    private static Optional<BigDecimal> money(Path file, JsonNode v) throws CaseFileException {
        if (v.isMissingNode() || v.isNull()) {
            return Optional.empty();
        }
        try {
            return Optional.of(v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText()));
        } catch (NumberFormatException e) {
            throw new CaseFileException(file + ": bad amount \"" + v.asText() + "\"");
        }
    }

    private static JsonNode read(Path file) throws CaseFileException {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new CaseFileException(file + ": cannot read: "
                    + CaseReader.firstLine(e.getMessage()));
        }
    }
}
