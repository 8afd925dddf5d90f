package io.tidegate.atlantis;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tidegate.decision.ProjectRef;
import io.tidegate.logging.SecretRedactor;
import io.tidegate.text.JsonProblem;

/**
 * Reads the JSON bodies Atlantis sends Tidegate: the {@code tidegate-hook gate} request,
 * the {@code meta} part of a plan upload (both carry the run-step variables, field names in
 * {@code atlantis/README.md}) and the {@code http} webhook's apply result (Go field names).
 * Validation is strict and reports every bad field at once in a
 * {@link MalformedRequestException}; bodies over {@link LimitedInputStream#GATE_LIMIT} (gate,
 * meta) or {@link LimitedInputStream#APPLY_RESULT_LIMIT} (apply result) are refused while
 * reading. Unknown fields are ignored, so a newer hook can add fields.
 *
 * <p>An apply result carries the whole PR description ({@code Pull.Body}, since Atlantis v0.45)
 * and clone URLs with a token: it is read as a stream, keeping only the fields Tidegate uses
 * ({@link #APPLY_RESULT_FIELDS}); every other value, {@code Body} included, is skipped without
 * being decoded. Thread-safe.
 */
public final class AtlantisRequestParser {
    private static final Pattern REPO_REL_DIR = Pattern.compile("\\.|[^/].*");
    /**
     * {@code COMMENT_ARGS} is long: Atlantis puts a backslash before every character of the
     * extra args ({@code escapeArgs}, server/events/project_command_context_builder.go, v0.47),
     * so a comment at GitHub's 65,536-character limit becomes up to 131,072 characters plus
     * commas. Tidegate only carries it; this bound is twice that.
     */
    static final int MAX_COMMENT_ARGS = 262_144;
    /**
     * The fields of Atlantis's {@code webhooks.ApplyResult} Tidegate reads (top level, and per
     * nested object the fields kept of it); everything else is skipped unread.
     */
    static final Map<String, Set<String>> APPLY_RESULT_FIELDS = Map.of(
            "Repo", Set.of("FullName", "Owner", "Name"),
            "Pull", Set.of("Num", "HeadCommit", "URL", "HeadBranch", "BaseBranch", "Author"),
            "User", Set.of("Username"),
            "Success", Set.of(), "Directory", Set.of(), "Workspace", Set.of(),
            "ProjectName", Set.of());

    private final ObjectMapper mapper = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    /** One value out of a stream: the stream goes on after it. */
    private final ObjectReader value = mapper.reader()
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private static final Pattern WEB_URL = Pattern.compile(
            "https?://[A-Za-z0-9.-]{1,253}(:[0-9]{1,5})?(/[A-Za-z0-9._~%/-]*)?");
    private static final String SHA_EXPECTED = "a 40 or 64 digit lowercase hex commit SHA";

    /** The body of {@code POST /api/v1/atlantis/gate}. */
    public GateRequest gate(InputStream body) throws IOException {
        AtlantisJsonFields f = AtlantisJsonFields.root(object(body, "gate request"));
        Stage stage = stage(f);
        RunContext context = runContext(f);
        throwIfAny("gate request", f);
        return new GateRequest(stage, context);
    }

    /** The {@code meta} part of {@code POST /api/v1/atlantis/plan}. */
    public RunContext planMeta(InputStream body) throws IOException {
        AtlantisJsonFields f = AtlantisJsonFields.root(object(body, "plan meta"));
        RunContext context = runContext(f);
        throwIfAny("plan meta", f);
        return context;
    }

    /** The body of {@code POST /api/v1/atlantis/apply-result} (Atlantis's http webhook). */
    public ApplyResult applyResult(InputStream body) throws IOException {
        AtlantisJsonFields f = AtlantisJsonFields.root(kept(body, "apply result"));
        AtlantisJsonFields user = f.object("User");
        int problems = f.problems().size();
        String username = user.present("Username");
        AtlantisJsonFields repo = f.object("Repo");
        AtlantisJsonFields pull = f.object("Pull");
        Repository repository = repository(repo);
        // An apply started through Atlantis's API has no user, and its Num and HeadCommit are
        // what apiRunPull reads; the gate refused it, so it ends no deployment.
        boolean api = username.isEmpty() && f.problems().size() == problems;
        PullInfo pullInfo = pullInfo(
                api ? pull.nonZeroInt("Num") : pull.positiveInt("Num"), pull.optional("Author"),
                webUrl(pull, "URL"), pull.optional("HeadBranch"), pull.optional("BaseBranch"),
                api ? pull.required("HeadCommit")
                        : pull.matching("HeadCommit", AtlantisJsonFields.SHA, SHA_EXPECTED));
        ProjectRef project = new ProjectRef(f.present("ProjectName"),
                directory(f, "Directory"), f.required("Workspace"));
        boolean success = f.bool("Success");
        throwIfAny("apply result", f);
        return new ApplyResult(repository, pullInfo, project, username, success);
    }

    private Repository repository(AtlantisJsonFields repo) {
        String fullName = repo.required("FullName");
        String owner = repo.optional("Owner");
        String name = repo.optional("Name");
        String[] parts = fullName.split("/", -1);
        if (!fullName.isEmpty() && (parts.length != 2
                || !AtlantisJsonFields.REPO_PART.matcher(parts[0]).matches()
                || !AtlantisJsonFields.REPO_PART.matcher(parts[1]).matches())) {
            repo.problems().add(repo.name("FullName") + ": expected owner/name, found "
                    + AtlantisJsonFields.quote(fullName));
            return new Repository(owner, name);
        }
        if (fullName.isEmpty()) {
            return new Repository(owner, name);
        }
        // Owner and Name are the same facts again: if they disagree, something is forged.
        if ((!owner.isEmpty() && !owner.equals(parts[0]))
                || (!name.isEmpty() && !name.equals(parts[1]))) {
            repo.problems().add(repo.name("FullName") + ": " + AtlantisJsonFields.quote(fullName)
                    + " does not match Owner " + AtlantisJsonFields.quote(owner) + " and Name "
                    + AtlantisJsonFields.quote(name));
        }
        return new Repository(parts[0], parts[1]);
    }

    private static Stage stage(AtlantisJsonFields f) {
        String word = f.matching("command", Pattern.compile("plan|apply|import|state_rm"),
                "\"plan\", \"apply\", \"import\" or \"state_rm\"");
        // A bad word is already a problem, thrown before this value could be used.
        return Stage.of(word).orElse(Stage.APPLY);
    }

    private static RunContext runContext(AtlantisJsonFields f) {
        String repoPart = "letters, digits, '.', '_' or '-'";
        Repository base = new Repository(
                f.matching("base_repo_owner", AtlantisJsonFields.REPO_PART, repoPart),
                f.matching("base_repo_name", AtlantisJsonFields.REPO_PART, repoPart));
        Repository head = new Repository(f.optional("head_repo_owner"),
                f.optional("head_repo_name"));
        int problems = f.problems().size();
        String user = f.present("user_name");
        // only a USER_NAME sent empty marks an API run; a missing or non-string one is an error
        boolean apiRun = user.isEmpty() && f.problems().size() == problems;
        PullInfo pull = apiRun ? apiRunPull(f) : pullInfo(f.positiveInt("pull_num"),
                f.required("pull_author"), pullUrl(f), f.required("head_branch_name"),
                f.required("base_branch_name"),
                f.matching("head_commit", AtlantisJsonFields.SHA, SHA_EXPECTED));
        ProjectRef project = new ProjectRef(f.present("project_name"),
                directory(f, "repo_rel_dir"), f.required("workspace"));
        return new RunContext(base, head, pull, project, f.optional("dir"), user,
                f.optionalFreeText("comment_args", MAX_COMMENT_ARGS));
    }

    /**
     * The pull request of a run with no user: one started through Atlantis's API
     * ({@code POST /api/plan}, {@code /api/apply}), whose context Atlantis builds with no
     * {@code User} and no {@code Author} or {@code URL}, the ref asked for as {@code HeadBranch}
     * and {@code HeadCommit} (a branch name unless a pull request's head was resolved), and,
     * when no pull request was named, a negative synthetic {@code Num}
     * ({@code apiParseAndValidate}, server/controllers/api_controller.go, Atlantis
     * v0.47.0-7-g078d0a820). Such a run is read as sent, so that the gate can refuse it as
     * {@code actor-unknown}, saying why, rather than as a malformed request.
     */
    private static PullInfo apiRunPull(AtlantisJsonFields f) {
        return pullInfo(f.nonZeroInt("pull_num"), f.optional("pull_author"), pullUrl(f),
                f.optional("head_branch_name"), f.optional("base_branch_name"),
                f.required("head_commit"));
    }

    private static String pullUrl(AtlantisJsonFields f) {
        return webUrl(f, "pull_url");
    }

    /**
     * A pull request's page as GitHub gives it ({@code html_url}: {@code
     * https://github.com/acme/infra/pull/42}, or a GitHub Enterprise host), or empty. It is
     * shown as sent (the gate's "Details:" line, notifications), so nothing else passes: no
     * user info (a credential), no query, no space, no character outside a plain path.
     */
    private static String webUrl(AtlantisJsonFields f, String field) {
        String url = f.optional(field);
        if (!url.isEmpty() && !WEB_URL.matcher(url).matches()) {
            f.problems().add(f.name(field) + ": expected a pull request's http(s) address such"
                    + " as https://github.com/owner/name/pull/1, found "
                    + AtlantisJsonFields.quote(SecretRedactor.redact(url)));
        }
        return url;
    }

    /** A repo-relative directory: "." or a relative path that never climbs out with "..". */
    private static String directory(AtlantisJsonFields f, String field) {
        String dir = f.required(field);
        if (!dir.isEmpty() && (!REPO_REL_DIR.matcher(dir).matches()
                || List.of(dir.split("/")).contains(".."))) {
            f.problems().add(f.name(field) + ": expected a path relative to the repository root,"
                    + " found " + AtlantisJsonFields.quote(dir));
        }
        return dir;
    }

    /** A PullInfo even from bad input (number 0 is replaced) so parsing can go on collecting. */
    private static PullInfo pullInfo(int number, String author, String url, String headBranch,
            String baseBranch, String headCommit) {
        return new PullInfo(number == 0 ? 1 : number, author, url, headBranch, baseBranch,
                headCommit);
    }

    private JsonNode object(InputStream body, String what) throws IOException {
        JsonNode root;
        try {
            root = mapper.readTree(new LimitedInputStream(body, what,
                    LimitedInputStream.GATE_LIMIT));
        } catch (JsonProcessingException e) {
            throw notJson(what, e);
        }
        if (root == null || root.isMissingNode() || !root.isObject()) {
            throw new MalformedRequestException(what, List.of("expected a JSON object"));
        }
        return root;
    }

    /**
     * The apply result's {@link #APPLY_RESULT_FIELDS} as a tree, read from a stream: any other
     * value is passed over by the tokenizer without being decoded or kept.
     */
    private JsonNode kept(InputStream body, String what) throws IOException {
        try (JsonParser p = mapper.getFactory().createParser(new LimitedInputStream(body, what,
                LimitedInputStream.APPLY_RESULT_LIMIT))) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedRequestException(what, List.of("expected a JSON object"));
            }
            ObjectNode root = mapper.createObjectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                Set<String> nested = APPLY_RESULT_FIELDS.get(name);
                p.nextToken();
                if (nested == null) {
                    p.skipChildren(); // Body, CloneURL, BaseRepo, ...: never decoded
                } else if (!nested.isEmpty() && p.currentToken() == JsonToken.START_OBJECT) {
                    root.set(name, keptOf(p, nested));
                } else {
                    root.set(name, value.readTree(p));
                }
            }
            if (p.nextToken() != null) {
                throw new MalformedRequestException(what, List.of("not valid JSON at line "
                        + p.currentLocation().getLineNr() + ": text after the object"));
            }
            return root;
        } catch (JsonProcessingException e) {
            throw notJson(what, e);
        }
    }

    /**
     * Only the location, or the limit broken: Jackson's message may quote the payload (and a
     * clone URL).
     */
    private static MalformedRequestException notJson(String what, JsonProcessingException e) {
        return new MalformedRequestException(what, List.of("not valid JSON" + JsonProblem
                .limitExceeded(e).map(limit -> ": " + limit)
                .orElseGet(() -> JsonProblem.where(e.getLocation()))));
    }

    private ObjectNode keptOf(JsonParser p, Set<String> fields) throws IOException {
        ObjectNode out = mapper.createObjectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (fields.contains(name)) {
                out.set(name, value.readTree(p));
            } else {
                p.skipChildren();
            }
        }
        return out;
    }

    private static void throwIfAny(String what, AtlantisJsonFields f) {
        if (!f.problems().isEmpty()) {
            throw new MalformedRequestException(what, f.problems());
        }
    }
}
