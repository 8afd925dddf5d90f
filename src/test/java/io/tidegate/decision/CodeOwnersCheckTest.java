package io.tidegate.decision;

import static io.tidegate.decision.DecisionEngineTest.at;
import static io.tidegate.decision.DecisionEngineTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import io.tidegate.policy.PolicySet;
import org.junit.jupiter.api.Test;

/** approvals.codeowners and approvals.each_of: "needs one of ... (missing: ...)". */
class CodeOwnersCheckTest {
    static final PolicySet POLICY = parse("""
            version: 1
            timezone: UTC
            roles:
              devops:   { teams: [acme/devops] }
              security: { teams: [acme/security] }
            environments:
              production:
                match: { dirs: ["environments/prod/**"] }
                apply:
                  approvals: { count: 1, codeowners: true, each_of: [devops, security] }
            """);
    static final String HEAD = "9f1c2d3";
    static final ProjectRef PROD = new ProjectRef("prod", "environments/prod", "default");
    static final Instant NOW = at("2026-11-23T10:00:00Z");
    static final Map<String, Set<String>> TEAMS = Map.of("ops-jung", Set.of("acme/devops"),
            "sec-yoon", Set.of("acme/security", "acme/dba"), "dev-kim", Set.of("acme/dba"));
    static final List<OwnedFile> FILES = List.of(
            new OwnedFile("environments/prod/db.tf", Set.of("@acme/dba")),
            // Owners in the order CODEOWNERS lists them (OwnedFile keeps it).
            new OwnedFile("environments/prod/iam.tf",
                    new java.util.LinkedHashSet<>(List.of("@sec-yoon", "@acme/security"))),
            new OwnedFile("README.md", Set.of()));

    static Facts facts(List<String> approvers) {
        PullRequest pr = new PullRequest("acme/infra", 7, "main", HEAD, "dev-kim", false,
                Set.of(), "");
        return new Facts(Command.APPLY, PROD, pr, "ops-jung", TEAMS,
                approvers.stream().map(u -> new Review(u, Review.State.APPROVED, HEAD)).toList(),
                List.of(), List.of(), List.of()).withOwnedFiles(FILES);
    }

    @Test
    void denyWhenAChangedFileHasNoOwnerApproval() {
        Decision d = DecisionEngine.decide(POLICY, facts(List.of("ops-jung")), NOW);

        assertThat(d.reasons()).containsExactly(
                new Reason(ReasonCode.APPROVALS_MISSING, "production needs 1 approval and one "
                        + "approval from each of devops and security; 1 counted (ops-jung)",
                        Optional.of("needs one approval from each of devops and security "
                                + "(missing: security)")),
                new Reason(ReasonCode.CODEOWNERS_APPROVAL_MISSING, "production needs a code "
                        + "owner's approval for every changed file; 2 files without one",
                        Optional.of("needs one of @acme/dba (missing: environments/prod/db.tf);"
                                + " needs one of @sec-yoon or @acme/security (missing: "
                                + "environments/prod/iam.tf)")));
    }

    @Test
    void allowWhenATeamMemberOwnerApprovesEveryFile() {
        Decision d = DecisionEngine.decide(POLICY, facts(List.of("ops-jung", "sec-yoon")), NOW);

        assertThat(d.isAllowed()).isTrue();
        assertThat(d.reasons()).isEmpty();
    }

    @Test
    void theAuthorsOwnApprovalNeverCountsAsOwner() {
        Decision d = DecisionEngine.decide(POLICY, facts(List.of("ops-jung", "dev-kim")), NOW);

        assertThat(d.codes()).containsExactly("approvals-missing", "codeowners-approval-missing");
    }

    @Test
    void denyWhenCodeOwnersAreUnknown() {
        Facts f = facts(List.of("ops-jung", "sec-yoon"));
        f = new Facts(f.command(), f.project(), f.pullRequest(), f.actor(), f.teams(),
                f.reviews(), f.reports(), f.overrides(), f.locks());

        Decision d = DecisionEngine.decide(POLICY, f, NOW);

        assertThat(d.reasons()).containsExactly(new Reason(ReasonCode.CODEOWNERS_APPROVAL_MISSING,
                "the code owners of the changed files are not known, so production's codeowners"
                        + " rule cannot be checked", Optional.of("make sure Tidegate can read "
                        + "the pull request's files and CODEOWNERS")));
    }

    @Test
    void anEmailOwnerIsNeverMatchedToALogin() {
        assertThat(CodeOwnersCheck.owns(Set.of("kim@example.com"), "kim", facts(List.of())))
                .isFalse();
        assertThat(CodeOwnersCheck.owns(Set.of("@Kim"), "kim", facts(List.of()))).isTrue();
    }
}
