package io.tidegate.cli;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Optional;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.atlantis.PlanReader;
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

    /**
     * Every resource change and its counts, read as the server reads an uploaded plan
     * ({@link PlanReader}): a replace counts as a create and a delete.
     */
    static PlanChange plan(Path file) throws CaseFileException {
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return new PlanReader().read(in);
        } catch (io.tidegate.atlantis.MalformedPlanException e) {
            throw new CaseFileException(file + ": not a terraform show -json plan: "
                    + e.getMessage());
        } catch (java.io.IOException e) {
            throw new CaseFileException(file + ": cannot read: " + e.getMessage());
        }
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
