package io.tidegate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.tidegate.atlantis.AtlantisPayloads;

/** The environment Atlantis gives a run step, for the scenarios that run the real hook script. */
final class AtlantisRunStep {
    private AtlantisRunStep() {}

    /**
     * What Atlantis sets in a run step of {@code atlantis apply -p prod-environment} on PR
     * {@code pr} of acme/infra by dev1, commented by {@code user}, with the plan and Infracost
     * fixtures and the Tidegate the hook talks to.
     */
    static Map<String, String> applyProd(int pr, String sha, String user, int tidegatePort,
            String token) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BASE_REPO_OWNER", "acme");
        env.put("BASE_REPO_NAME", "infra");
        env.put("HEAD_REPO_OWNER", "acme");
        env.put("HEAD_REPO_NAME", "infra");
        env.put("HEAD_BRANCH_NAME", "feature/infra-" + pr);
        env.put("BASE_BRANCH_NAME", "main");
        env.put("PULL_NUM", Integer.toString(pr));
        env.put("PULL_AUTHOR", "dev1");
        env.put("PULL_URL", "https://github.com/acme/infra/pull/" + pr);
        env.put("HEAD_COMMIT", sha);
        env.put("PROJECT_NAME", "prod-environment");
        env.put("DIR", "/atlantis-data/repos/acme/infra/" + pr + "/prod/environments/prod");
        env.put("REPO_REL_DIR", "environments/prod");
        env.put("WORKSPACE", "prod");
        env.put("USER_NAME", user);
        env.put("COMMENT_ARGS", "");
        env.put("SHOWFILE", Fixtures.path("terraform/plan.aws.create.small.json").toString());
        env.put("TIDEGATE_INFRACOST_FILE",
                Fixtures.path("infracost/breakdown.plan-json.increase.json").toString());
        env.put("TIDEGATE_URL", "http://127.0.0.1:" + tidegatePort);
        env.put("TIDEGATE_API_TOKEN", token);
        return env;
    }

    /**
     * The same step in a run started through Atlantis's API ({@code POST /api/apply} or
     * {@code /api/plan} for the branch {@code main}, no pull request named): no user, no author
     * or URL, the ref as {@code HEAD_BRANCH_NAME} and {@code HEAD_COMMIT}, and a negative
     * synthetic {@code PULL_NUM} ({@code apiParseAndValidate}, {@code nextNonPRPullNum},
     * server/controllers/api_controller.go; server/core/runtime/run_step_runner.go; Atlantis
     * v0.47.0-7-g078d0a820).
     */
    static Map<String, String> apiRun(Map<String, String> step) {
        Map<String, String> env = new LinkedHashMap<>(step);
        env.put("USER_NAME", "");
        env.put("PULL_AUTHOR", "");
        env.put("PULL_URL", "");
        env.put("PULL_NUM", "-734271843");
        env.put("HEAD_BRANCH_NAME", "main");
        env.put("BASE_BRANCH_NAME", "main");
        env.put("HEAD_COMMIT", "main");
        env.put("DIR", "/atlantis-data/repos/acme/infra/-734271843/prod/environments/prod");
        return env;
    }

    /**
     * What Atlantis's {@code http} webhook posts after that apply: {@code json.Marshal} of
     * Atlantis's whole {@code webhooks.ApplyResult} (v0.47.0-7-g078d0a820), clone URLs with a
     * token as Atlantis's carry, and a 60,000-character CJK and quote-heavy PR description in
     * {@code Pull.Body}, as a real PR with a pasted plan has.
     */
    static String applyResultBody(int pr, String sha, boolean success) {
        return AtlantisPayloads.applyResultJson(AtlantisPayloads.prodApply(pr, sha, success)
                .withBody(AtlantisPayloads.longBody()));
    }
}
