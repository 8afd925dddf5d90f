package io.tidegate.review;

import static io.tidegate.review.ReviewFixture.PROD;
import static io.tidegate.review.ReviewFixture.SHA;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import io.tidegate.Fixtures;
import io.tidegate.atlantis.PlanUpload;
import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.infracost.InfracostParser;
import io.tidegate.notify.NotificationEvent;
import io.tidegate.store.CostReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanIntakeTest {
    private static final PlanChange PLAN = new PlanChange(
            Map.of("aws_instance", 2, "aws_s3_bucket", 1), Map.of("aws_iam_role", 1), Map.of());

    @TempDir
    Path dir;

    private ReviewFixture f;
    private PlanIntake intake;

    @BeforeEach
    void start() throws Exception {
        f = new ReviewFixture(dir);
        intake = new PlanIntake(f.parts(), f.store.costReports());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static PlanUpload upload(ProjectRef project, boolean withInfracost) throws Exception {
        return new PlanUpload(ReviewFixture.context(42, SHA, project, "dev1"), PLAN,
                withInfracost ? Optional.of(new InfracostParser().parse(
                        Fixtures.bytes("infracost/breakdown.plan-json.increase.json")))
                        : Optional.empty());
    }

    @Test
    void reportIsStoredForTheHeadCommitThenTheReviewIsRequestedAndPlanCompletedQueued()
            throws Exception {
        String line = intake.record(upload(PROD, true));

        assertThat(line).isEqualTo("prod-environment: plan reported (+3 ~1 -0 resources,"
                + " +$40.56/month)");
        CostReport stored = f.store.costReports().forCommit("acme/infra", 42, SHA).get(0);
        assertThat(stored.project()).isEqualTo(PROD);
        assertThat(stored.plan()).isEqualTo(PLAN);
        assertThat(stored.cost().monthlyIncrease()).contains(new BigDecimal("40.561"));
        assertThat(stored.cost().monthlyTotal()).contains(new BigDecimal("81.122"));
        assertThat(stored.cost().currency()).contains("USD");
        assertThat(f.reviewRequests).containsExactly("acme/infra#42: plan reported");
        assertThat(f.published()).singleElement().isInstanceOfSatisfying(
                NotificationEvent.PlanCompleted.class, e -> {
                    assertThat(e.environment()).isEqualTo("production");
                    assertThat(e.resources()).isEqualTo(PLAN);
                    assertThat(e.pullRequest().url().toString())
                            .isEqualTo("https://github.com/acme/infra/pull/42");
                });
    }

    @Test
    void withoutInfracostTheCostIsStoredUnknownNeverZero() throws Exception {
        String line = intake.record(upload(PROD, false));

        assertThat(line).isEqualTo("prod-environment: plan reported (+3 ~1 -0 resources,"
                + " cost unknown)");
        assertThat(f.store.costReports().forCommit("acme/infra", 42, SHA).get(0).cost())
                .isEqualTo(CostChange.UNKNOWN);
    }

    /** Infracost's JSON names its currency; the policy's limits are in USD. */
    @Test
    void costInAnotherCurrencyIsUnknownNamingBothCurrencies() throws Exception {
        String eur = new String(Fixtures.bytes("infracost/breakdown.plan-json.increase.json"),
                java.nio.charset.StandardCharsets.UTF_8)
                .replace("\"currency\": \"USD\"", "\"currency\": \"EUR\"");
        PlanUpload upload = new PlanUpload(ReviewFixture.context(42, SHA, PROD, "dev1"), PLAN,
                Optional.of(new InfracostParser().parse(eur.getBytes(
                        java.nio.charset.StandardCharsets.UTF_8))));

        String line = intake.record(upload);

        assertThat(line).isEqualTo("prod-environment: plan reported (+3 ~1 -0 resources,"
                + " cost unknown: Infracost reported EUR, the policy's limits are in USD)");
        assertThat(f.store.costReports().forCommit("acme/infra", 42, SHA).get(0).cost())
                .isEqualTo(CostChange.otherCurrency("EUR"));
    }

    @Test
    void aProjectNoEnvironmentMatchesIsStoredButNobodyIsNotified() throws Exception {
        intake.record(upload(new ProjectRef("", "scratch", "default"), true));

        assertThat(f.store.costReports().forCommit("acme/infra", 42, SHA)).hasSize(1);
        assertThat(f.published()).isEmpty();
        assertThat(f.reviewRequests).hasSize(1);
    }

    /** The hook prints this line into Atlantis's PR comment: the project's name is PR text. */
    @Test
    void theAnswerShowsAHostileProjectNameInert() throws Exception {
        String line = intake.record(upload(new ProjectRef("x`\u202e@channel", "scratch",
                "default"), false));

        assertThat(line).startsWith("x\u02CB@\u200Bchannel: plan reported (+3 ~1 -0 resources,")
                .doesNotContain("`", "\u202e");
    }
}
