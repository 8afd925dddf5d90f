package io.tidegate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.tidegate.atlantis.MalformedPlanException;
import io.tidegate.atlantis.PlanReader;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.infracost.InfracostParser;
import io.tidegate.infracost.InfracostReport;
import io.tidegate.infracost.MalformedInfracostException;

/**
 * The two report files a policy case may name: an Infracost JSON output and a
 * {@code terraform show -json} plan. Read by exactly the code the server reads an Atlantis plan
 * upload with ({@link InfracostParser} then {@link InfracostReport#costChange()}, and
 * {@link PlanReader}), so a policy test decides on the facts the server would: a report in which
 * a project failed to price is "cost unknown" in both.
 */
final class ReportFiles {
    private static final InfracostParser INFRACOST = new InfracostParser();
    private static final PlanReader PLAN = new PlanReader();

    private ReportFiles() {}

    static CostChange infracost(Path file) throws CaseFileException {
        try (InputStream in = Files.newInputStream(file)) {
            return INFRACOST.parse(in).costChange();
        } catch (MalformedInfracostException e) {
            throw new CaseFileException(file + ": not an Infracost JSON output: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new CaseFileException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Creates, updates and deletes per type, counted as the server counts them. */
    static PlanChange plan(Path file) throws CaseFileException {
        try (InputStream in = Files.newInputStream(file)) {
            return PLAN.read(in);
        } catch (MalformedPlanException e) {
            throw new CaseFileException(file + ": not a terraform show -json plan: "
                    + e.getMessage());
        } catch (IOException e) {
            throw new CaseFileException(file + ": cannot read: " + e.getMessage());
        }
    }
}
