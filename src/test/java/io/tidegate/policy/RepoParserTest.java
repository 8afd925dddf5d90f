package io.tidegate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code repos:}: repository globs to policies, first match wins, every file checked. */
class RepoParserTest {
    private static final String SMALL = """
            version: 1
            timezone: UTC
            roles: { ops: { teams: [acme/ops] } }
            environments:
              sandbox: { match: { dirs: ["**"] } }
            """;

    @TempDir
    Path dir;

    private PolicySet parse(String root) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, root);
        return PolicyParser.parse(file);
    }

    private List<String> problems(String root) {
        PolicyFileException e = catchThrowableOfType(PolicyFileException.class,
                () -> parse(root));
        assertThat(e).as("expected the policy to be rejected").isNotNull();
        return e.problems();
    }

    @Test
    void firstMatchingEntryGovernsAndEveryPolicyOfTheSetCarriesTheSetHash() throws Exception {
        Files.writeString(dir.resolve("infra.yaml"), SMALL.replace("sandbox", "production"));
        PolicySet root = parse("""
                repos:
                  - match: ["acme/infra", "acme/infra-*"]
                    policy: infra.yaml
                  - match: ["acme/*"]
                    policy:
                      version: 1
                      timezone: UTC
                      roles: { ops: { teams: [acme/ops] } }
                      environments:
                        sandbox: { match: { dirs: ["**"] } }
                """);

        assertThat(root.forRepo("acme/infra-eu").environments()).extracting(Environment::name)
                .containsExactly("production");
        // one version: the root and the file it names, hashed as a set
        String rootText = Files.readString(dir.resolve("policy.yaml"));
        String set = PolicyFiles.sha256Of(java.util.Map.of(
                dir.resolve("policy.yaml").toString(), rootText,
                dir.resolve("infra.yaml").toString(), SMALL.replace("sandbox", "production")));
        assertThat(root.sha256()).isEqualTo(set);
        assertThat(root.forRepo("ACME/Infra").sha256()).isEqualTo(set);
        assertThat(root.forRepo("acme/web").sha256()).isEqualTo(set);
        assertThat(root.forRepo("other/infra").sha256()).isEqualTo(set);
        assertThat(root.repoPolicyFor("acme/infra").orElseThrow().file())
                .isEqualTo(dir.resolve("infra.yaml").toString());
        assertThat(root.forRepo("acme/web").environments()).extracting(Environment::name)
                .containsExactly("sandbox");
        assertThat(root.forRepo("other/infra").ungoverned()).contains("other/infra");
    }

    @Test
    void aFileWithoutReposStaysOnePolicyForEveryRepository() throws Exception {
        PolicySet p = parse(SMALL);

        assertThat(p.isByRepository()).isFalse();
        assertThat(p.forRepo("anyone/anything")).isSameAs(p);
    }

    @Test
    void aMissingOrInvalidNamedFileIsReportedWithFileLineAndColumn() throws Exception {
        Files.writeString(dir.resolve("bad.yaml"), SMALL.replace("[acme/ops]", "[ops]"));
        String root = dir.resolve("policy.yaml").toString();
        String bad = dir.resolve("bad.yaml").toString();

        assertThat(problems("""
                repos:
                  - match: ["acme/infra"]
                    policy: infra.yaml
                  - match: ["acme/*"]
                    policy: bad.yaml
                  - match: [acme]
                    policy: { version: 1 }
                """)).containsExactly(
                root + ":3:13: policy file \"" + dir.resolve("infra.yaml")
                        + "\" does not exist",
                root + ":5:13: policy file \"" + bad + "\" is invalid (1 problem, listed below)",
                root + ":6:13: repository pattern \"acme\" must be written owner/name (globs "
                        + "allowed: acme/infra-*)",
                root + ":7:13: missing key \"timezone\" in the policy",
                root + ":7:13: missing key \"roles\" in the policy",
                root + ":7:13: missing key \"environments\" in the policy",
                bad + ":3:25: team \"ops\" must be written org/team-slug");
    }

    @Test
    void aReposFileHoldsNothingElseAndNamedPoliciesHaveNoReposThemselves() throws Exception {
        Files.writeString(dir.resolve("nested.yaml"), "repos:\n  - match: [\"a/b\"]\n"
                + "    policy: nested.yaml\n");
        String root = dir.resolve("policy.yaml").toString();

        assertThat(problems("""
                timezone: UTC
                repos:
                  - match: ["acme/*"]
                    policy: nested.yaml
                """)).containsExactly(
                root + ":1:1: unknown key \"timezone\" in a policy file with repos (it maps "
                        + "repositories to policies and holds nothing else) (expected one of: "
                        + "version, repos)",
                root + ":4:13: policy file \"" + dir.resolve("nested.yaml") + "\" is invalid "
                        + "(1 problem, listed below)",
                dir.resolve("nested.yaml") + ":1:1: a policy named by repos (or inline under "
                        + "it) cannot have repos itself");
    }
}
