package io.tidegate.atlantis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

/** The files in the top-level {@code atlantis/} folder that operators copy into Atlantis. */
class OperatorFilesTest {
    private static final Path DIR = Path.of("atlantis");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * What Atlantis sets for a run step (customEnvVars, server/core/runtime/run_step_runner.go,
     * v0.47.0-7-g078d0a820). Not COMMAND_NAME or COMMAND_HAS_ERRORS: those are for pre- and
     * post-workflow hooks only (pre_workflow_hook_runner.go), which repos.yaml does not use.
     */
    private static final Set<String> SET_BY_ATLANTIS = Set.of(
            "BASE_REPO_OWNER", "BASE_REPO_NAME", "HEAD_REPO_OWNER", "HEAD_REPO_NAME",
            "HEAD_BRANCH_NAME", "BASE_BRANCH_NAME", "PULL_NUM", "PULL_AUTHOR", "PULL_URL",
            "HEAD_COMMIT", "PROJECT_NAME", "DIR", "REPO_REL_DIR", "WORKSPACE", "USER_NAME",
            "COMMENT_ARGS", "PLANFILE", "SHOWFILE", "POLICYCHECKFILE",
            "ATLANTIS_TERRAFORM_DISTRIBUTION", "ATLANTIS_TERRAFORM_VERSION");
    /** What the operator sets in the Atlantis environment for Tidegate and Infracost. */
    private static final Set<String> OURS = Set.of(
            "TIDEGATE_URL", "TIDEGATE_API_TOKEN", "TIDEGATE_CONNECT_TIMEOUT", "TIDEGATE_TIMEOUT",
            "TIDEGATE_GATE_ATTEMPTS", "TIDEGATE_REPORT_TIMEOUT", "TIDEGATE_INFRACOST_FILE",
            "INFRACOST_API_KEY");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?([A-Z_][A-Z0-9_]*)");

    private static JsonNode yaml(String file) throws IOException {
        return YAML.readTree(DIR.resolve(file).toFile());
    }

    private static String text(String file) throws IOException {
        return Files.readString(DIR.resolve(file), StandardCharsets.UTF_8);
    }

    static Set<String> variablesIn(String text) {
        Set<String> names = new TreeSet<>();
        Matcher m = VARIABLE.matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static List<String> steps(JsonNode stage) {
        List<String> out = new ArrayList<>();
        for (JsonNode step : stage.get("steps")) {
            if (step.isTextual()) {
                out.add(step.textValue());
            } else if (step.has("run")) {
                JsonNode run = step.get("run");
                out.add("run: "
                        + (run.isTextual() ? run.textValue() : run.get("command").textValue()));
            } else {
                out.add(step.fieldNames().next());
            }
        }
        return out;
    }

    @Test
    void serverRepoConfigForbidsCustomWorkflowsAndOnlyLetsReposPickAWorkflow() throws IOException {
        JsonNode repo = yaml("repos.yaml").get("repos").get(0);

        assertThat(repo.get("id").textValue()).isEqualTo("/.*/");
        assertThat(repo.get("allow_custom_workflows").booleanValue()).isFalse();
        assertThat(YAML.convertValue(repo.get("allowed_overrides"), List.class))
                .containsExactly("workflow");
        assertThat(YAML.convertValue(repo.get("allowed_workflows"), List.class))
                .containsExactly("develop", "staging", "production");
        assertThat(YAML.convertValue(repo.get("apply_requirements"), List.class))
                .contains("approved", "mergeable");
        assertThat(repo.get("workflow").textValue()).isEqualTo("develop");
    }

    @Test
    void everyWorkflowPlansThenReportsAndGatesBeforeApply() throws IOException {
        JsonNode workflows = yaml("repos.yaml").get("workflows");
        String infracost = "run: infracost breakdown --path \"$SHOWFILE\" --format json"
                + " --out-file \"$SHOWFILE.infracost.json\"";

        assertThat(workflows.fieldNames()).toIterable()
                .containsExactly("develop", "staging", "production");
        for (String name : List.of("develop", "staging", "production")) {
            assertThat(steps(workflows.get(name).get("plan"))).as(name).containsExactly(
                    "run: tidegate-hook gate plan", "init", "plan", "show", infracost,
                    "run: tidegate-hook report");
        }
        assertThat(steps(workflows.get("staging").get("apply")))
                .containsExactly("run: tidegate-hook gate apply", "apply");
        assertThat(steps(workflows.get("production").get("apply")))
                .containsExactly("run: tidegate-hook gate apply", "apply");
        assertThat(steps(workflows.get("develop").get("apply"))).containsExactly(
                "run: tidegate-hook gate apply",
                "run: echo \"develop is plan only, apply is disabled (tidegate)\"; exit 1");
    }

    /**
     * Atlantis v0.47 workflows have import and state_rm stages whose default steps are
     * init + import / state_rm (server/core/config/raw/workflow.go; DefaultImportStage and
     * DefaultStateRmStage in server/core/config/valid/global_cfg.go): left out, they run ungated.
     */
    @Test
    void importAndStateRmStagesAreGatedInEveryWorkflow() throws IOException {
        JsonNode workflows = yaml("repos.yaml").get("workflows");

        for (String name : List.of("staging", "production")) {
            assertThat(steps(workflows.get(name).get("import"))).as(name)
                    .containsExactly("run: tidegate-hook gate import", "init", "import");
            assertThat(steps(workflows.get(name).get("state_rm"))).as(name)
                    .containsExactly("run: tidegate-hook gate state_rm", "init", "state_rm");
        }
        assertThat(steps(workflows.get("develop").get("import"))).containsExactly(
                "run: tidegate-hook gate import",
                "run: echo \"develop is plan only, import is disabled (tidegate)\"; exit 1");
        assertThat(steps(workflows.get("develop").get("state_rm"))).containsExactly(
                "run: tidegate-hook gate state_rm",
                "run: echo \"develop is plan only, state rm is disabled (tidegate)\"; exit 1");
    }

    @Test
    void repoSideConfigNamesTheSeedProjectsAndLeavesPolicyToTheServer() throws IOException {
        JsonNode config = yaml("atlantis.yaml");

        assertThat(config.get("version").intValue()).isEqualTo(3);
        assertThat(config.get("automerge").booleanValue()).isFalse();
        assertThat(config.has("workflows")).isFalse();
        List<String> projects = new ArrayList<>();
        for (JsonNode p : config.get("projects")) {
            assertThat(p.has("apply_requirements")).isFalse();
            projects.add(p.get("name").textValue() + " " + p.get("dir").textValue() + " "
                    + p.get("workspace").textValue() + " " + p.get("workflow").textValue());
        }
        assertThat(projects).containsExactly(
                "dev-environment environments/dev dev develop",
                "staging-environment environments/staging staging staging",
                "prod-environment environments/prod prod production");
    }

    @Test
    void serverConfigSendsApplyResultsToTidegate() throws IOException {
        JsonNode hook = yaml("config.yaml").get("webhooks").get(0);

        assertThat(yaml("config.yaml").get("webhooks")).hasSize(1);
        assertThat(hook.get("event").textValue()).isEqualTo("apply");
        assertThat(hook.get("kind").textValue()).isEqualTo("http");
        assertThat(hook.get("url").textValue()).startsWith("https://")
                .endsWith("/api/v1/atlantis/apply-result");
    }

    @Test
    void operatorFilesNameOnlyVariablesAtlantisOrTheOperatorSets() throws IOException {
        for (String file : List.of("repos.yaml", "config.yaml", "atlantis.yaml", "tidegate-hook")) {
            Set<String> unknown = new TreeSet<>(variablesIn(text(file)));
            unknown.removeAll(SET_BY_ATLANTIS);
            unknown.removeAll(OURS);
            assertThat(unknown).as(file).isEmpty();
        }
    }

    @Test
    void hookSendsOnlyRunStepVariablesAtlantisSets() throws IOException {
        Matcher m = Pattern.compile("(?s)\nrun_vars='([^']*)'").matcher(text("tidegate-hook"));
        assertThat(m.find()).isTrue();
        List<String> names = List.of(m.group(1).trim().split("\\s+"));

        assertThat(names).hasSize(16).allMatch(SET_BY_ATLANTIS::contains);
    }

    @Test
    void variableCheckCatchesNamesAtlantisDoesNotSet() {
        // The seed's own example uses these; Atlantis sets neither.
        assertThat(variablesIn("--repo $ATLANTIS_REPO_FULL_NAME --pull-request ${ATLANTIS_PULL_NUM}"
                + " --path $SHOWFILE")).containsExactly("ATLANTIS_PULL_NUM",
                "ATLANTIS_REPO_FULL_NAME", "SHOWFILE");
    }

    @Test
    void hookIsAnExecutablePosixShellScriptThatNeverTracesCommands() throws IOException {
        String script = text("tidegate-hook");

        assertThat(script).startsWith("#!/bin/sh\n");
        assertThat(Files.isExecutable(DIR.resolve("tidegate-hook"))).isTrue();
        // set -x would print the Authorization header into the PR comment.
        assertThat(script.lines().map(String::trim).filter(l -> !l.startsWith("#")))
                .noneMatch(l -> l.matches("set\\s+-[a-z]*x.*"));
        assertThat(script).doesNotContain("bash").doesNotContain("[[");
    }

    @Test
    void readmeDefinesTheWireContract() throws IOException {
        String readme = text("README.md");

        assertThat(readme).contains("TIDEGATE: ALLOW", "POST /api/v1/atlantis/gate",
                "POST /api/v1/atlantis/plan", "POST /api/v1/atlantis/apply-result",
                "--gh-allow-mergeable-bypass-apply", "tidegate/<environment>");
        for (String key : Map.of("base_repo_owner", 1, "head_commit", 1, "repo_rel_dir", 1)
                .keySet()) {
            assertThat(readme).contains("`" + key + "`");
        }
    }
}
