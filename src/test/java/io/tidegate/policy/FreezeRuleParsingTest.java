package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** {@code freeze: { by: [...] }} on an environment and at the top level. */
class FreezeRuleParsingTest {
    private static final String HEAD = """
            version: 1
            timezone: Asia/Seoul
            roles:
              ops:  { teams: [acme/ops] }
              lead: { teams: [acme/lead] }
            """;

    private static PolicySet parse(String yaml) throws PolicyFileException {
        return PolicyParser.parse(yaml, "p.yaml");
    }

    private static List<String> problems(String yaml) {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> parse(yaml));
        assertThat(e).as("expected the policy to be rejected").isNotNull();
        return e.problems();
    }

    @Test
    void environmentRuleWinsOverTheTopLevelOneAndOthersInheritIt() throws Exception {
        PolicySet p = parse(HEAD + """
                freeze: { by: [ops] }
                environments:
                  staging:    { match: { dirs: ["stg/**"] } }
                  production: { match: { dirs: ["prod/**"] }, freeze: { by: [lead] } }
                """);

        assertThat(p.freezeRuleFor("production")).isEqualTo(new FreezeRule(Set.of("lead")));
        assertThat(p.freezeRuleFor("staging")).isEqualTo(new FreezeRule(Set.of("ops")));
    }

    @Test
    void withoutAnyRuleNobodyMayFreezeFromAComment() throws Exception {
        PolicySet p = parse(HEAD + """
                environments:
                  production: { match: { dirs: ["prod/**"] } }
                """);

        assertThat(p.freezeRuleFor("production")).isEqualTo(FreezeRule.NOBODY);
    }

    @Test
    void unknownRoleInFreezeByIsReportedWhereItIsWritten() {
        assertThat(problems(HEAD + """
                freeze: { by: [devops-leed] }
                environments:
                  production:
                    match: { dirs: ["prod/**"] }
                    freeze: { by: [lead, opz] }
                """)).containsExactly(
                "p.yaml:6:16: unknown role \"devops-leed\" (defined: lead, ops)",
                "p.yaml:10:26: unknown role \"opz\" (defined: lead, ops)");
    }

    @Test
    void emptyOrMisspelledFreezeRuleIsAnError() {
        assertThat(problems(HEAD + """
                environments:
                  production:
                    match: { dirs: ["prod/**"] }
                    freeze: { by: [], until: tomorrow }
                """)).containsExactly(
                "p.yaml:9:19: by of freeze of environment \"production\" is empty: nobody "
                        + "could freeze (leave freeze out instead)",
                "p.yaml:9:23: unknown key \"until\" in freeze of environment \"production\" "
                        + "(expected one of: by)");
    }
}
