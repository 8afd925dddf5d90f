package io.tidegate.atlantis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.decision.Command;
import io.tidegate.decision.ProjectRef;
import org.junit.jupiter.api.Test;

class AtlantisRequestParserTest {
    private static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    private static final String TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    private final AtlantisRequestParser parser = new AtlantisRequestParser();
    private final ObjectMapper mapper = new ObjectMapper();

    /** What tidegate-hook sends for `atlantis apply -p prod-environment`. */
    private static Map<String, Object> gateFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("command", "apply");
        m.put("base_repo_owner", "acme");
        m.put("base_repo_name", "infra");
        m.put("head_repo_owner", "acme");
        m.put("head_repo_name", "infra");
        m.put("head_branch_name", "feature/infra-vpc");
        m.put("base_branch_name", "main");
        m.put("pull_num", "42");
        m.put("pull_author", "dev1");
        m.put("pull_url", "https://github.com/acme/infra/pull/42");
        m.put("head_commit", SHA);
        m.put("project_name", "prod-environment");
        m.put("dir", "/atlantis-data/repos/acme/infra/42/default/environments/prod");
        m.put("repo_rel_dir", "environments/prod");
        m.put("workspace", "default");
        m.put("user_name", "lead1");
        m.put("comment_args", "");
        return m;
    }

    private GateRequest gate(Map<String, Object> fields) throws IOException {
        return parser.gate(new ByteArrayInputStream(mapper.writeValueAsBytes(fields)));
    }

    private GateRequest gate(String json) throws IOException {
        return parser.gate(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    private ApplyResult applyResult(String json) throws IOException {
        return parser.applyResult(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    /** json.Marshal(webhooks.ApplyResult{...}) as Atlantis v0.47 sends it. */
    private static String applyResultJson(String success) {
        return """
                {"Workspace":"default",
                 "Repo":{"FullName":"acme/infra","Owner":"acme","Name":"infra",
                   "CloneURL":"https://atlantis-bot:%s@github.com/acme/infra.git",
                   "SanitizedCloneURL":"https://atlantis-bot:<redacted>@github.com/acme/infra.git",
                   "VCSHost":{"Hostname":"github.com","Type":0}},
                 "Pull":{"Num":42,"HeadCommit":"%s","URL":"https://github.com/acme/infra/pull/42",
                   "HeadBranch":"feature/infra-vpc","BaseBranch":"main","Author":"dev1","State":0,
                   "BaseRepo":{"FullName":"acme/infra","Owner":"acme","Name":"infra",
                     "CloneURL":"https://atlantis-bot:%s@github.com/acme/infra.git",
                     "SanitizedCloneURL":"","VCSHost":{"Hostname":"github.com","Type":0}}},
                 "User":{"Username":"lead1","Teams":null},
                 "Success":%s,
                 "Directory":"environments/prod",
                 "ProjectName":"prod-environment"}
                """.formatted(TOKEN, SHA, TOKEN, success);
    }

    @Test
    void gateRequestWithEveryRunStepVariableIsRead() throws IOException {
        GateRequest g = gate(gateFields());

        assertThat(g).isEqualTo(new GateRequest(Command.APPLY, new RunContext(
                new Repository("acme", "infra"), new Repository("acme", "infra"),
                new PullInfo(42, "dev1", "https://github.com/acme/infra/pull/42",
                        "feature/infra-vpc", "main", SHA),
                new ProjectRef("prod-environment", "environments/prod", "default"),
                "/atlantis-data/repos/acme/infra/42/default/environments/prod", "lead1", "")));
        assertThat(g.context().baseRepo().fullName()).isEqualTo("acme/infra");
    }

    @Test
    void planCommandAndNumericPullNumberAreAccepted() throws IOException {
        Map<String, Object> m = gateFields();
        m.put("command", "plan");
        m.put("pull_num", 7);

        GateRequest g = gate(m);

        assertThat(g.command()).isEqualTo(Command.PLAN);
        assertThat(g.context().pull().number()).isEqualTo(7);
    }

    @Test
    void emptyUserNameProjectNameAndMissingOptionalsAreAllowed() throws IOException {
        // USER_NAME is empty for API-triggered runs; PROJECT_NAME for unnamed projects.
        Map<String, Object> m = gateFields();
        m.put("user_name", "");
        m.put("project_name", "");
        m.remove("head_repo_owner");
        m.remove("head_repo_name");
        m.remove("dir");
        m.remove("comment_args");
        m.remove("pull_url");
        m.put("repo_rel_dir", ".");
        m.put("extra_field_from_a_newer_hook", "ignored");

        RunContext c = gate(m).context();

        assertThat(c.userName()).isEmpty();
        assertThat(c.project()).isEqualTo(new ProjectRef("", ".", "default"));
        assertThat(c.headRepo()).isEqualTo(new Repository("", ""));
    }

    /**
     * A run started through Atlantis's API for a branch: no User, no Author or URL, the ref as
     * HeadBranch and HeadCommit, and a negative synthetic Num from nextNonPRPullNum
     * (apiParseAndValidate, server/controllers/api_controller.go; the run-step variables,
     * server/core/runtime/run_step_runner.go; Atlantis v0.47.0-7-g078d0a820).
     */
    private static Map<String, Object> apiRunFields() {
        Map<String, Object> m = gateFields();
        m.put("user_name", "");
        m.put("pull_author", "");
        m.put("pull_url", "");
        m.put("pull_num", "-734271843");
        m.put("head_branch_name", "main");
        m.put("base_branch_name", "main");
        m.put("head_commit", "main");
        return m;
    }

    @Test
    void aRunStartedThroughAtlantissApiIsReadAsSentSoTheGateCanRefuseIt() throws IOException {
        RunContext c = gate(apiRunFields()).context();

        assertThat(c.userName()).isEmpty();
        assertThat(c.pull()).isEqualTo(new PullInfo(-734271843, "", "", "main", "main", "main"));
        assertThat(c.pull().isPullRequest()).isFalse();
        assertThat(c.hasPullRequestCommit()).isFalse();
        assertThat(gate(gateFields()).context().hasPullRequestCommit()).isTrue();
    }

    @Test
    void anApiRunNamingAPullRequestKeepsItsNumberAndCommit() throws IOException {
        Map<String, Object> m = apiRunFields();
        m.put("pull_num", "42");
        m.put("head_commit", SHA);

        RunContext c = gate(m).context();

        assertThat(c.pull().number()).isEqualTo(42);
        assertThat(c.hasPullRequestCommit()).isTrue();
    }

    @Test
    void aNegativePullNumberIsOnlyReadForARunWithNoUser() {
        Map<String, Object> m = gateFields();
        m.put("pull_num", "-734271843");
        assertThatThrownBy(() -> gate(m)).hasMessage("gate request: pull_num: expected a"
                + " positive integer, found \"-734271843\"");
        Map<String, Object> api = apiRunFields();
        api.put("pull_num", "0");
        api.put("head_commit", "");
        assertThatThrownBy(() -> gate(api)).hasMessage("gate request: pull_num: expected a"
                + " non-zero integer, found \"0\"; head_commit: must not be empty");
    }

    @Test
    void extraArgsMayHoldATabAsAtlantisPassesEveryByteOfAQuotedArgument() throws IOException {
        // atlantis plan -- "-var=a<TAB>b": escapeArgs puts a backslash before every byte
        // (server/events/project_command_context_builder.go, v0.47.0-7-g078d0a820)
        Map<String, Object> m = gateFields();
        m.put("comment_args", "\\-\\v\\a\\r\\=\\a\\\t\\b");

        RunContext c = gate(m).context();

        assertThat(c.extraArgs()).containsExactly("-var=a\tb");
    }

    @Test
    void everyBadFieldIsNamedAtOnce() {
        Map<String, Object> m = gateFields();
        m.put("command", "destroy");
        m.put("pull_num", "abc");
        m.remove("head_commit");
        m.put("workspace", "");
        m.put("repo_rel_dir", "../other");
        m.put("base_repo_owner", "acme corp");
        m.put("user_name", 5);

        assertThatThrownBy(() -> gate(m))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage("gate request: command: expected \"plan\", \"apply\", \"import\" or"
                        + " \"state_rm\", found"
                        + " \"destroy\"; base_repo_owner: expected letters, digits, '.', '_' or"
                        + " '-', found \"acme corp\"; user_name: expected a string, found 5;"
                        + " pull_num: expected a positive integer, found \"abc\"; head_commit:"
                        + " required; repo_rel_dir: expected a path relative to the repository"
                        + " root, found \"../other\"; workspace: must not be empty");
    }

    @Test
    void missingCommandIsRequired() {
        Map<String, Object> m = gateFields();
        m.remove("command");

        assertThatThrownBy(() -> gate(m)).hasMessage("gate request: command: required");
    }

    @Test
    void zeroAndNegativePullNumbersAreRejected() {
        Map<String, Object> m = gateFields();
        m.put("pull_num", 0);
        assertThatThrownBy(() -> gate(m))
                .hasMessage("gate request: pull_num: expected a positive integer, found 0");
        m.put("pull_num", "-3");
        assertThatThrownBy(() -> gate(m))
                .hasMessage("gate request: pull_num: expected a positive integer, found \"-3\"");
    }

    @Test
    void shortOrUppercaseShaIsRejected() {
        Map<String, Object> m = gateFields();
        m.put("head_commit", "6dcb09b");

        assertThatThrownBy(() -> gate(m)).hasMessage("gate request: head_commit: expected a 40"
                + " or 64 digit lowercase hex commit SHA, found \"6dcb09b\"");
    }

    @Test
    void absoluteRepoRelDirIsRejected() {
        Map<String, Object> m = gateFields();
        m.put("repo_rel_dir", "/etc");

        assertThatThrownBy(() -> gate(m)).hasMessage("gate request: repo_rel_dir: expected a"
                + " path relative to the repository root, found \"/etc\"");
    }

    @Test
    void controlCharactersInAFieldAreRejected() {
        Map<String, Object> m = gateFields();
        m.put("pull_author", "dev1\nTIDEGATE: ALLOW");

        assertThatThrownBy(() -> gate(m))
                .hasMessage("gate request: pull_author: must not contain control characters");
    }

    @Test
    void nonHttpPullUrlIsRejected() {
        Map<String, Object> m = gateFields();
        m.put("pull_url", "javascript:alert(1)");

        assertThatThrownBy(() -> gate(m)).hasMessage("gate request: pull_url: expected a pull"
                + " request's http(s) address such as https://github.com/owner/name/pull/1,"
                + " found \"javascript:alert(1)\"");
    }

    /**
     * The URL is shown as sent (the gate's "Details:" line on the PR, notifications): a
     * credential in it, a right-to-left override or markup must not pass (black-box review:
     * a token in pull_url came back in the gate's text).
     */
    @Test
    void aPullUrlWithACredentialOrCharactersOutsideAPlainPathIsRejectedMaskingTheCredential() {
        for (String url : List.of(
                "https://x-access-token:" + TOKEN + "@github.com/acme/infra/pull/42",
                "https://github.com/acme/infra/pull/42\u202e evil",
                "https://github.com/acme/infra/pull/42?x=<b>",
                "https://github.com/acme/infra/pull/42 @channel")) {
            Map<String, Object> m = gateFields();
            m.put("pull_url", url);
            assertThatThrownBy(() -> gate(m)).as(url)
                    .hasMessageStartingWith("gate request: pull_url: expected a pull request's")
                    .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
        }
        Map<String, Object> enterprise = gateFields();
        enterprise.put("pull_url", "https://ghe.acme.example:8443/acme/infra/pull/42");
        assertThatCode(() -> gate(enterprise)).doesNotThrowAnyException();
    }

    @Test
    void brokenJsonNamesOnlyTheLocation() {
        assertThatThrownBy(() -> gate("{\"command\": apply}"))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage("gate request: not valid JSON at line 1, column 13");
    }

    @Test
    void nonObjectBodyIsRejected() {
        assertThatThrownBy(() -> gate("[]")).hasMessage("gate request: expected a JSON object");
        assertThatThrownBy(() -> gate("")).hasMessage("gate request: expected a JSON object");
    }

    @Test
    void oversizedGateRequestIsRefusedWhileReading() {
        String big = "{\"comment_args\":\"" + "a".repeat(1_100_000) + "\"}";

        assertThatThrownBy(() -> gate(big))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("gate request is larger than the limit of 1048576 bytes");
    }

    /**
     * `atlantis plan -- -target=...` with about 750 characters of targets: Atlantis's
     * escapeArgs doubles it to 1,500 characters (project_command_context_builder.go, v0.47).
     */
    @Test
    void escapedCommentArgsOfRealSizeAreAcceptedAndUnescaped() throws IOException {
        List<String> targets = new java.util.ArrayList<>();
        for (int i = 0; targets.stream().mapToInt(t -> t.length() + 1).sum() < 760; i++) {
            targets.add("-target=module.vpc.aws_subnet.private[" + i + "]");
        }
        String escaped = AtlantisPayloads.commentArgs(targets);
        assertThat(escaped.length()).isGreaterThan(1_500);
        Map<String, Object> m = gateFields();
        m.put("comment_args", escaped);

        RunContext c = gate(m).context();

        assertThat(c.commentArgs()).isEqualTo(escaped);
        assertThat(c.extraArgs()).isEqualTo(targets);
    }

    @Test
    void nonAsciiCommentArgsStayMangledAsAtlantisSendsThem() throws IOException {
        Map<String, Object> m = gateFields();
        m.put("comment_args", AtlantisPayloads.commentArgs(List.of("-var=name=배포", "-no")));

        // 배 (EB B0 B0) and 포 (ED 8F AC) keep only their lead bytes, as U+00EB and U+00ED
        assertThat(gate(m).context().extraArgs()).containsExactly("-var=name=\u00eb\u00ed",
                "-no");
    }

    @Test
    void commentArgsBeyondTwiceGitHubsCommentLimitAreRejected() {
        Map<String, Object> m = gateFields();
        m.put("comment_args", "\\a".repeat(131_073));

        assertThatThrownBy(() -> gate(m)).isInstanceOf(MalformedRequestException.class)
                .hasMessage("gate request: comment_args: longer than 262144 characters");
    }

    @Test
    void planMetaCarriesTheSameRunStepVariables() throws IOException {
        Map<String, Object> m = gateFields();
        m.remove("command");

        RunContext c = parser.planMeta(new ByteArrayInputStream(mapper.writeValueAsBytes(m)));

        assertThat(c).isEqualTo(gate(gateFields()).context());
    }

    @Test
    void applyResultIsReadFromGoFieldNames() throws IOException {
        ApplyResult r = applyResult(applyResultJson("true"));

        assertThat(r).isEqualTo(new ApplyResult(new Repository("acme", "infra"),
                new PullInfo(42, "dev1", "https://github.com/acme/infra/pull/42",
                        "feature/infra-vpc", "main", SHA),
                new ProjectRef("prod-environment", "environments/prod", "default"),
                "lead1", true));
    }

    /**
     * Atlantis's real field set (webhooks.ApplyResult, models.Repo, models.PullRequest with
     * HardenedNonPRRefCheckout and Body, v0.47.0-7-g078d0a820) with a 60,000-character
     * CJK/quote-heavy description: well over the 64 KiB once refused.
     */
    @Test
    void applyResultWithALongPullRequestBodyIsReadSkippingTheBody() throws IOException {
        String json = AtlantisPayloads.applyResultJson(AtlantisPayloads.prodApply(42, SHA, true)
                .withBody(AtlantisPayloads.longBody()));
        assertThat(json.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(90_000);

        ApplyResult r = applyResult(json);

        assertThat(r).isEqualTo(new ApplyResult(new Repository("acme", "infra"),
                new PullInfo(42, "dev1", "https://github.com/acme/infra/pull/42",
                        "feature/infra-42", "main", SHA),
                new ProjectRef("prod-environment", "environments/prod", "prod"),
                "lead1", true));
    }

    @Test
    void applyResultLargerThanTwoMebibytesIsRefusedWhileReading() {
        String json = AtlantisPayloads.applyResultJson(AtlantisPayloads.prodApply(42, SHA, true)
                .withBody("<".repeat(400_000)));

        assertThatThrownBy(() -> applyResult(json))
                .isInstanceOf(PayloadTooLargeException.class)
                .hasMessage("apply result is larger than the limit of 2097152 bytes");
    }

    @Test
    void applyResultWithTextAfterTheObjectIsRejected() {
        String json = AtlantisPayloads.applyResultJson(AtlantisPayloads.prodApply(42, SHA, true))
                + "{}";

        assertThatThrownBy(() -> applyResult(json))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessageStartingWith("apply result: not valid JSON at line 1");
    }

    @Test
    void applyResultWithABodyThatIsNotAStringIsStillReadWithoutIt() throws IOException {
        String json = AtlantisPayloads.applyResultJson(AtlantisPayloads.prodApply(42, SHA, false))
                .replace("\"Body\":\"Adds", "\"Body\":{\"x\":[1,2,{}]},\"Ignored\":\"Adds");

        assertThat(applyResult(json).success()).isFalse();
    }

    @Test
    void applyResultNeverKeepsTheCloneUrlToken() throws IOException {
        ApplyResult r = applyResult(applyResultJson("false"));

        assertThat(r.success()).isFalse();
        assertThat(r.toString()).doesNotContain(TOKEN).doesNotContain("CloneURL");
    }

    @Test
    void anApplyStartedThroughAtlantissApiIsReadSoItCanBeAnsweredNotRefused() throws IOException {
        String api = applyResultJson("false").replace("\"Username\":\"lead1\"", "\"Username\":\"\"")
                .replace("\"Num\":42", "\"Num\":-734271843")
                .replace("\"HeadCommit\":\"" + SHA + "\"", "\"HeadCommit\":\"main\"");

        ApplyResult r = applyResult(api);

        assertThat(r.username()).isEmpty();
        assertThat(r.pull().number()).isEqualTo(-734271843);
        assertThat(r.pull().headCommit()).isEqualTo("main");
        assertThatThrownBy(() -> applyResult(api.replace("\"Username\":\"\"",
                "\"Username\":\"lead1\""))).hasMessage("apply result: Pull.Num: expected a"
                        + " positive integer, found -734271843; Pull.HeadCommit: expected a 40 or"
                        + " 64 digit lowercase hex commit SHA, found \"main\"");
    }

    @Test
    void applyResultErrorsNeverQuoteTheCloneUrl() {
        String bad = applyResultJson("\"yes\"").replace("\"Num\":42", "\"Num\":\"x\"");

        assertThatThrownBy(() -> applyResult(bad))
                .isInstanceOf(MalformedRequestException.class)
                .hasMessage("apply result: Pull.Num: expected a positive integer, found \"x\";"
                        + " Success: expected true or false, found \"yes\"")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void brokenApplyResultJsonDoesNotEchoThePayload() {
        String broken = applyResultJson("true").replace("\"Success\":true", "\"Success\":tru");

        assertThatThrownBy(() -> applyResult(broken))
                .hasMessageStartingWith("apply result: not valid JSON at line ")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(TOKEN));
    }

    @Test
    void applyResultWithoutRepoOrPullNamesBoth() {
        assertThatThrownBy(() -> applyResult("{\"Workspace\":\"default\",\"Success\":true,"
                + "\"Directory\":\".\",\"ProjectName\":\"\",\"User\":{\"Username\":\"a\"}}"))
                .hasMessage("apply result: Repo: required; Pull: required; Repo.FullName:"
                        + " required; Pull.Num: required; Pull.HeadCommit: required");
    }

    @Test
    void applyResultWhoseFullNameContradictsOwnerIsRejected() {
        String forged = applyResultJson("true").replaceFirst("\"Owner\":\"acme\"",
                "\"Owner\":\"evil\"");

        assertThatThrownBy(() -> applyResult(forged)).hasMessage("apply result: Repo.FullName:"
                + " \"acme/infra\" does not match Owner \"evil\" and Name \"infra\"");
    }

    @Test
    void applyResultWithMalformedFullNameIsRejected() {
        String bad = applyResultJson("true").replaceFirst("\"FullName\":\"acme/infra\"",
                "\"FullName\":\"acme\"");

        assertThatThrownBy(() -> applyResult(bad))
                .hasMessage("apply result: Repo.FullName: expected owner/name, found \"acme\"");
    }
}
