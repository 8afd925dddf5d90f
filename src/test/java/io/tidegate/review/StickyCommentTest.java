package io.tidegate.review;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.decision.CostChange;
import io.tidegate.decision.PlanChange;
import io.tidegate.decision.ProjectRef;
import io.tidegate.decision.ProjectReport;
import io.tidegate.decision.PullRequest;
import io.tidegate.decision.Review;
import io.tidegate.github.CommentLimit;
import io.tidegate.github.CommitStatus;
import io.tidegate.policy.PolicyParser;
import io.tidegate.policy.PolicySet;
import org.junit.jupiter.api.Test;

class StickyCommentTest {
    static final String SHA = "0123456789abcdef0123456789abcdef01234567";
    static final Instant SUNDAY_NIGHT = Instant.parse("2026-11-22T12:00:00Z");
    static final ProjectRef PROD = new ProjectRef("prod-environment", "environments/prod",
            "default");
    static final ProjectRef STAGING = new ProjectRef("staging-environment",
            "environments/staging", "default");

    static PolicySet policy() throws Exception {
        return PolicyParser.parse(Path.of("policies/policy.yaml"));
    }

    static PullRequestSnapshot snapshot(List<Review> reviews, List<ProjectReport> reports) {
        PullRequest pr = new PullRequest("acme/infra", 7, "main", SHA, "alice", false,
                Set.of("cost-reviewed"), "## Rollback plan\nRevert.\n\n- [x] planned\n");
        return new PullRequestSnapshot(pr, reviews,
                Map.of("lead-park", Set.of("acme/devops-lead"), "alice", Set.of()), reports,
                List.of(), List.of());
    }

    static ProjectReport report(ProjectRef p, String increase, String total,
            Map<String, Integer> created) {
        return new ProjectReport(p, SHA, Optional.of(new CostChange(
                Optional.of(new BigDecimal(increase)), Optional.of(new BigDecimal(total)))),
                Optional.of(PlanChange.ofCounts(created, Map.of(), Map.of())));
    }

    @Test
    void aBlockedProductionPullRequestReadsAsATableThenOneSectionPerEnvironment()
            throws Exception {
        PullRequestSnapshot s = snapshot(
                List.of(new Review("lead-park", Review.State.APPROVED, SHA)),
                List.of(report(PROD, "12.5", "100", Map.of("aws_instance", 1)),
                        report(STAGING, "-3", "40", Map.of())));

        String body = StickyComment.render(PullRequestReview.summarize(policy(), s,
                SUNDAY_NIGHT));

        assertThat(body).isEqualTo(EXPECTED_BLOCKED);
    }

    @Test
    void anApprovalOutdatedByALaterCostReportIsListedWithBothAmounts() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T11:00:00Z");
        ProjectRef prodEu = new ProjectRef("prod-environment", "environments/prod", "eu");
        ProjectReport first = new ProjectReport(PROD, SHA, report(PROD, "12.5", "100",
                Map.of()).cost(), Optional.of(PlanChange.EMPTY), Optional.of(t0));
        ProjectReport later = new ProjectReport(prodEu, SHA, report(prodEu, "20", "50",
                Map.of()).cost(), Optional.of(PlanChange.EMPTY), Optional.of(t0.plusSeconds(600)));
        PullRequestSnapshot s = snapshot(List.of(new Review("lead-park", Review.State.APPROVED,
                SHA, t0.plusSeconds(300))), List.of(first, later));

        String body = StickyComment.render(PullRequestReview.summarize(policy(), s,
                SUNDAY_NIGHT));

        // names and reasons are inert Markdown: every punctuation mark escaped, shown as is
        assertThat(body).contains("- **Approvals:** 0 of 2 from devops\\-lead or cto — none"
                + " yet; not counted: lead\\-park \\(approved at \\$12\\.50\\/month\\,"
                + " now \\$32\\.50\\)\n")
                .contains("- production needs 2 approvals from devops\\-lead or cto\\; 0"
                        + " counted\\; not counted\\: lead\\-park \\(approved at"
                        + " \\$12\\.50\\/month\\, now \\$32\\.50\\) (`approvals-missing`)\n");
    }

    @Test
    void theStatusOfAnEnvironmentWaitingForPeopleOrTimeIsPendingAndAHardLimitIsFailure()
            throws Exception {
        PullRequestSnapshot s = snapshot(List.of(),
                List.of(report(PROD, "12.5", "100", Map.of("aws_instance", 9)),
                        report(STAGING, "1", "40", Map.of())));
        ReviewSummary summary = PullRequestReview.summarize(policy(), s, SUNDAY_NIGHT);

        CommitStatus prod = StatusText.of(summary.environments().get(1), Optional.empty());
        CommitStatus staging = StatusText.of(summary.environments().get(0), Optional.empty());

        assertThat(prod.state()).isEqualTo(CommitStatus.State.FAILURE);
        assertThat(prod.description()).isEqualTo(
                "3 things block the apply: approvals-missing, window-closed, "
                        + "resource-limit-exceeded");
        assertThat(staging.state()).isEqualTo(CommitStatus.State.FAILURE);
        assertThat(staging.description()).isEqualTo(
                "2 things block the apply: branch-not-allowed, approvals-missing");
    }

    @Test
    void anOversizedCommentLosesWholeSectionsAndSaysSo() throws Exception {
        PullRequestSnapshot s = snapshot(List.of(),
                List.of(report(PROD, "12.5", "100", Map.of("aws_instance", 1)),
                        report(STAGING, "-3", "40", Map.of())));
        String body = StickyComment.render(PullRequestReview.summarize(policy(), s,
                SUNDAY_NIGHT));

        String cut = CommentLimit.fit(body, body.indexOf("#### production") + 200);

        assertThat(cut).startsWith(body.substring(0, body.indexOf(CommentLimit.SECTION_BREAK)))
                .doesNotContain("<details>");
    }

    static final String EXPECTED_BLOCKED = """
            <!-- tidegate:summary -->
            ### Tidegate · `0123456`

            | Environment | Apply | Approvals | Window | Cost change / month |
            |:--|:--|:--|:--|:--|
            | **staging** | ⛔ blocked | 1 of 1 | always open | −$3.00 of $100.00 limit |
            | **production** | ⏳ blocked | 1 of 2 | closed · opens Mon 2026\\-11\\-23 09\\:00 KST | +$12.50 of $500.00 limit |

            <!-- tidegate:section -->
            #### staging · ⛔ blocked

            Projects: <code>staging\\-environment</code> · applied by senior\\-developers, devops, devops\\-lead or cto

            - **Approvals:** 1 of 1 from senior\\-developers, devops, devops\\-lead or cto — approved by lead\\-park
            - **Window:** none, apply any time
            - **Cost:** −$3.00 per month (limit $100.00); environment total $40.00 of $300.00 budget
            - **Created resources:** <code>aws\\_instance</code> 0 of 5 · <code>aws\\_db\\_instance\\|aws\\_rds\\_cluster\\_instance</code> 0 of 2 · <code>aws\\_lb\\|aws\\_alb\\|aws\\_elb</code> 0 of 3
            - **Override:** none
            - **Lock:** free

            **What is missing**

            - staging is applied only from pull requests into staging\\; this one targets main (`branch-not-allowed`)
              - *To fix:* apply it through a pull request into staging

            <!-- tidegate:section -->
            #### production · ⏳ blocked

            Projects: <code>prod\\-environment</code> · applied by devops\\-lead or cto

            - **Approvals:** 1 of 2 from devops\\-lead or cto — approved by lead\\-park
            - **Window:** <code>production\\-hours</code> (Asia/Seoul) is closed; next opening Mon 2026-11-23 09:00 KST
            - **Cost:** +$12.50 per month (limit $500.00); environment total $100.00 of $2,000.00 budget
            - **Created resources:** <code>aws\\_instance</code> 1 of 5 · <code>aws\\_db\\_instance\\|aws\\_rds\\_cluster\\_instance</code> 0 of 2 · <code>aws\\_lb\\|aws\\_alb\\|aws\\_elb</code> 0 of 3
            - **Override:** none
            - **Lock:** free
            - **Plan rules:**
              - <code>protect\\-data</code> (deny): matches nothing

            **What is missing**

            - production needs 2 approvals from devops\\-lead or cto\\; 1 counted \\(lead\\-park\\) (`approvals-missing`)
              - *To fix:* needs 1 more approval from devops\\-lead or cto
            - production\\-hours is closed at Sun 2026\\-11\\-22 21\\:00 KST (`window-closed`)
              - *To fix:* production\\-hours opens Mon 2026\\-11\\-23 09\\:00 KST\\; or an override by devops\\-lead or cto on this commit lifts it for 2h

            <!-- tidegate:section -->
            <details><summary>Cost and plan per project (2)</summary>

            | Project | Dir | Workspace | Monthly change | Monthly total | Create | Update | Delete |
            |:--|:--|:--|--:|--:|--:|--:|--:|
            | prod\\-environment | <code>environments\\/prod</code> | default | +$12.50 | $100.00 | 1 | 0 | 0 |
            | staging\\-environment | <code>environments\\/staging</code> | default | −$3.00 | $40.00 | 0 | 0 | 0 |

            **prod\\-environment** creates 1 × <code>aws\\_instance</code>

            </details>

            <sub>Updated on every push, review and plan · comment `tidegate explain` for every reason, `tidegate help` for the commands.</sub>
            """;
}
