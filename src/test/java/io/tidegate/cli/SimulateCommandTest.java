package io.tidegate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulateCommandTest {
    private static final String FROZEN_CASE = """
            name: last Friday
            at: 2026-11-27T10:00:00+09:00
            command: apply
            project: { name: prod-environment, dir: environments/prod, workspace: default }
            pull_request: { number: 42, base: main, head: 9f1c2d3, author: dev-kim,
                            labels: [cost-reviewed], body: "- [x] staging tested\\n\\n## Rollback plan\\nRevert.\\n" }
            actor: lead-park
            teams: { lead-park: [acme/devops-lead], cto-lee: [acme/cto] }
            reviews: [ { user: lead-park, state: APPROVED, commit: 9f1c2d3 } ]
            cost: { monthly_increase: "120.50", monthly_total: "1830.00" }
            resources: { created: { aws_instance: 2 } }
            """;

    private static Path write(Path dir, String text) throws IOException {
        Path file = dir.resolve("case.yaml");
        Files.writeString(file, text);
        return file;
    }

    @Test
    void denyPrintsEveryReasonWithItsRemedyAndExitsOne(@TempDir Path dir) throws IOException {
        Cli r = Cli.run("simulate", "--case", write(dir, FROZEN_CASE).toString());
        assertThat(r.lines()).containsExactly(
                "DENY apply prod-environment in production at Fri 2026-11-27 10:00 KST",
                "  approvals-missing: production needs 2 approvals from devops-lead or cto; "
                        + "1 counted (lead-park)",
                "    -> needs 1 more approval from devops-lead or cto",
                "  freeze: production-hours is frozen on Fri 2026-11-27: Maintenance day",
                "    -> production-hours opens Mon 2026-11-30 09:00 KST; or an override by "
                        + "devops-lead or cto on this commit lifts it for 2h",
                "Notes (they do not block):",
                "  budget-warning: the new monthly total $1,830.00 of production is above 75% "
                        + "of its budget of $2,000.00");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void atOptionOverridesTheCaseMomentAndJsonCarriesTheAssessment(@TempDir Path dir)
            throws IOException {
        Cli r = Cli.run("simulate", "--case", write(dir, FROZEN_CASE).toString(), "--json",
                "--at", "2026-11-26T16:00:00+09:00");
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertThat(json.path("decision").asText()).isEqualTo("deny");
        assertThat(json.path("reasons").get(0).path("code").asText())
                .isEqualTo("approvals-missing");
        JsonNode a = json.path("assessment");
        assertThat(a.path("environment").asText()).isEqualTo("production");
        assertThat(a.path("approvals").path("needed").asInt()).isEqualTo(2);
        assertThat(a.path("window").path("state").asText()).isEqualTo("open");
        assertThat(a.path("cost").path("monthly_increase").asText()).isEqualTo("120.50");
        assertThat(a.path("cost").path("limit").asText()).isEqualTo("500");
        assertThat(r.exit()).isEqualTo(1);
    }

    @Test
    void allowExitsZero(@TempDir Path dir) throws IOException {
        String approved = FROZEN_CASE.replace("reviews: [ { user: lead-park, state: APPROVED, "
                + "commit: 9f1c2d3 } ]", "reviews: [ { user: lead-park, state: APPROVED, "
                + "commit: 9f1c2d3 }, { user: cto-lee, state: APPROVED, commit: 9f1c2d3 } ]");
        Cli r = Cli.run("simulate", "--case", write(dir, approved).toString(), "--at",
                "2026-11-26T16:00:00+09:00");
        assertThat(r.lines().get(0)).isEqualTo(
                "ALLOW apply prod-environment in production at Thu 2026-11-26 16:00 KST");
        assertThat(r.exit()).isEqualTo(0);
    }

    @Test
    void infracostAndPlanFilesFeedCostAndResources(@TempDir Path dir) throws IOException {
        String text = """
                at: 2026-11-23T10:00:00+09:00
                command: apply
                project: { name: staging-environment, dir: environments/staging }
                pull_request: { base: staging, head: bbb2222, author: dev-kim, labels: [cost-reviewed] }
                actor: senior-choi
                teams: { senior-choi: [acme/senior-developers], ops-jung: [acme/devops-team] }
                reviews: [ { user: ops-jung, state: APPROVED, commit: bbb2222 } ]
                infracost: %s
                plan: %s
                """;
        Path small = write(dir, text.formatted(
                Fixtures.path("infracost/breakdown.plan-json.increase.json").toAbsolutePath(),
                Fixtures.path("terraform/plan.aws.create.small.json").toAbsolutePath()));
        Cli ok = Cli.run("simulate", "--case", small.toString(), "--json");
        JsonNode cost = new ObjectMapper().readTree(ok.out()).path("assessment").path("cost");
        assertThat(cost.path("monthly_increase").asText()).isEqualTo("40.561");
        assertThat(ok.exit()).as(ok.out()).isEqualTo(0);

        Path big = write(dir, text.formatted(
                Fixtures.path("infracost/breakdown.new-resources.json").toAbsolutePath(),
                Fixtures.path("terraform/plan.aws.rds-ec2.tf0.14.json").toAbsolutePath()));
        Cli denied = Cli.run("simulate", "--case", big.toString());
        assertThat(denied.out()).contains("  cost-limit-exceeded: the monthly cost increase "
                + "+$1,303.28 in staging exceeds the limit of $100.00")
                .contains("  resource-limit-exceeded: this PR creates 6 aws_instance in staging; "
                        + "at most 5 may be created per PR");
        assertThat(denied.exit()).isEqualTo(1);
    }

    @Test
    void badInputExitsTwoWithAPreciseMessage(@TempDir Path dir) throws IOException {
        Path file = write(dir, FROZEN_CASE);
        Cli badAt = Cli.run("simulate", "--case", file.toString(), "--at", "tomorrow");
        assertThat(badAt.err().trim()).isEqualTo("--at must be an ISO-8601 time with an offset, "
                + "such as 2026-11-27T10:00:00+09:00, found \"tomorrow\"");
        assertThat(badAt.exit()).isEqualTo(2);
        Path typo = write(dir, FROZEN_CASE.replace("actor:", "actr:"));
        Cli badKey = Cli.run("simulate", "--case", typo.toString());
        assertThat(badKey.err().trim()).isEqualTo(typo + ":7:1: unknown key \"actr\" in the "
                + "case (expected one of: name, at, command, project, pull_request, actor, teams, "
                + "reviews, cost, infracost, resources, plan, reports, overrides, locks, expect, "
                + "policy, head_tree, applies, codeowners, changed_files, freezes)");
        assertThat(badKey.exit()).isEqualTo(2);
    }

    @Test
    void caseValuesAreCheckedLikeAPolicysAndEveryProblemIsLocated(@TempDir Path dir)
            throws IOException {
        Path file = write(dir, FROZEN_CASE.replace("author: dev-kim,", "author: dev-kim, "
                + "draft: \"maybe\",").replace("state: APPROVED", "state: approved")
                .replace("\"120.50\"", "lots"));
        Cli r = Cli.run("simulate", "--case", file.toString());
        assertThat(r.err().lines()).containsExactly(
                file + ":5:80: draft must be true or false, found \"maybe\"",
                file + ":9:38: review state must be APPROVED, CHANGES_REQUESTED, COMMENTED, "
                        + "DISMISSED or PENDING, found \"approved\"",
                file + ":10:27: monthly_increase must be an amount of USD such as \"120.50\" or "
                        + "-40 (null = unknown), found \"lots\"");
        assertThat(r.out()).isEmpty();
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    void infracostFileIsReadAsTheServerReadsItSoAnUnpricedProjectIsCostUnknown(
            @TempDir Path dir) throws IOException {
        // The real $1,303.28 output plus a project Infracost failed to price (issue 15, 11).
        ObjectMapper mapper = new ObjectMapper();
        com.fasterxml.jackson.databind.node.ObjectNode infracost = (com.fasterxml.jackson
                .databind.node.ObjectNode) mapper.readTree(Fixtures.bytes(
                        "infracost/breakdown.new-resources.json"));
        infracost.withArray("projects").add(mapper.readTree("""
                {"name":"broken","metadata":{"path":"envs/prod","type":"terraform_dir",
                   "errors":[{"code":102,"message":"Error loading module"}]},
                 "breakdown":{"resources":[],"totalMonthlyCost":null}}"""));
        Path json = dir.resolve("infracost.json");
        Files.writeString(json, infracost.toString());
        Path file = write(dir, FROZEN_CASE.replace(
                "cost: { monthly_increase: \"120.50\", monthly_total: \"1830.00\" }",
                "infracost: infracost.json"));
        Cli r = Cli.run("simulate", "--case", file.toString(), "--json");
        JsonNode decision = mapper.readTree(r.out());
        assertThat(decision.path("assessment").path("cost").path("monthly_increase").isNull())
                .as(r.out()).isTrue();
        assertThat(decision.path("reasons").findValuesAsText("code")).contains("cost-unknown");
        assertThat(r.exit()).isEqualTo(1);
    }
}
