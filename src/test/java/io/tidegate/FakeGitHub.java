package io.tidegate;

import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/**
 * WireMock standing in for the GitHub API with state: pull requests, reviews, team memberships,
 * issue comments and commit statuses, changed by the same calls GitHub accepts, so a test sees
 * a comment edited in place or a status replaced. Every request stays in WireMock's journal.
 * {@link #failWith} makes every answer a 500, a rate limit or a hang until {@link #recover}.
 */
public final class FakeGitHub implements AutoCloseable {
    public static final String TOKEN = "ghp_FakeToken0123456789abcdefABCDEF";

    /** How the fake misbehaves. */
    public enum Failure { NONE, SERVER_ERROR, RATE_LIMITED, RESET }

    /** A pull request's state. */
    public static final class Pr {
        public volatile String headSha;
        public volatile String base = "main";
        public volatile String author = "alice";
        public volatile String body = "";
        public final Set<String> labels = ConcurrentHashMap.newKeySet();
        public final List<String[]> reviews = Collections.synchronizedList(new ArrayList<>());

        Pr(String headSha) {
            this.headSha = headSha;
        }

        public void approve(String login) {
            reviews.add(new String[] {login, "APPROVED", headSha});
        }
    }

    /** A comment as GitHub keeps it. */
    public record Comment(long id, String login, String body) {}

    /** A status as GitHub keeps it. */
    public record Status(String context, String state, String description, String targetUrl) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REPO = Pattern.compile("/repos/([^/]+/[^/]+)");
    private static final Pattern PULL = Pattern.compile("/repos/([^/]+/[^/]+)/pulls/(\\d+)");
    private static final Pattern REVIEWS =
            Pattern.compile("/repos/([^/]+/[^/]+)/pulls/(\\d+)/reviews");
    private static final Pattern MEMBERSHIP =
            Pattern.compile("/orgs/([^/]+)/teams/([^/]+)/memberships/([^/]+)");
    private static final Pattern COMMENTS =
            Pattern.compile("/repos/([^/]+/[^/]+)/issues/(\\d+)/comments");
    private static final Pattern COMMENT =
            Pattern.compile("/repos/([^/]+/[^/]+)/issues/comments/(\\d+)");
    private static final Pattern STATUS =
            Pattern.compile("/repos/([^/]+/[^/]+)/commits/([0-9a-f]+)/status");
    private static final Pattern STATUSES =
            Pattern.compile("/repos/([^/]+/[^/]+)/statuses/([0-9a-f]+)");

    private final String defaultSha;
    private final Map<String, Pr> prs = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> members = new ConcurrentHashMap<>();
    private final Map<String, List<Comment>> comments = new ConcurrentHashMap<>();
    private final Map<String, List<Status>> statuses = new ConcurrentHashMap<>();
    private final WireMockServer wm;
    private volatile Failure failure = Failure.NONE;
    private long nextId = 1000;

    public FakeGitHub(String defaultSha) {
        this.defaultSha = defaultSha;
        this.wm = new WireMockServer(WireMockConfiguration.options().dynamicPort()
                .extensions(new Transformer()));
        wm.start();
        wm.stubFor(any(anyUrl()).willReturn(ok()));
    }

    public String base() {
        return "http://localhost:" + wm.port();
    }

    public Pr pr(String repo, int number) {
        return prs.computeIfAbsent(repo + "#" + number, k -> new Pr(defaultSha));
    }

    public void member(String team, String login) {
        members.computeIfAbsent(team.toLowerCase(), k -> ConcurrentHashMap.newKeySet())
                .add(login.toLowerCase());
    }

    public List<Comment> comments(String repo, int number) {
        return List.copyOf(comments.getOrDefault(repo + "#" + number, List.of()));
    }

    /** The latest status per context on the commit. */
    public Map<String, Status> statuses(String repo, String sha) {
        Map<String, Status> out = new LinkedHashMap<>();
        for (Status s : statuses.getOrDefault(repo + "@" + sha, List.of())) {
            out.put(s.context(), s);
        }
        return out;
    }

    public void failWith(Failure f) {
        failure = f;
    }

    public void recover() {
        failure = Failure.NONE;
    }

    /** "METHOD /path?query" of every request, oldest first. */
    public List<String> journal() {
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : requests()) {
            out.add(r.getMethod() + " " + r.getUrl());
        }
        return out;
    }

    public List<LoggedRequest> requests() {
        List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest).toList();
    }

    public void resetJournal() {
        wm.resetRequests();
    }

    /** Writes (anything but GET) in the journal. */
    public List<String> writes() {
        return journal().stream().filter(l -> !l.startsWith("GET ")).toList();
    }

    @Override
    public void close() {
        wm.stop();
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public ResponseDefinition transform(ServeEvent event) {
            try {
                return answer(event.getRequest());
            } catch (Exception e) {
                return json(500, "{\"message\":\"fake failed: " + e + "\"}");
            }
        }

        @Override
        public String getName() {
            return "fake-github";
        }
    }

    private ResponseDefinition answer(Request r) throws Exception {
        switch (failure) {
            case SERVER_ERROR:
                return json(502, "{\"message\":\"Server Error\"}");
            case RATE_LIMITED:
                return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                        .withStatus(403).withHeader("Content-Type", "application/json")
                        .withHeader("X-RateLimit-Limit", "5000")
                        .withHeader("X-RateLimit-Remaining", "0")
                        .withHeader("Retry-After", "3600")
                        .withBody("{\"message\":\"API rate limit exceeded\"}").build();
            case RESET:
                return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                        .withFault(Fault.CONNECTION_RESET_BY_PEER).build();
            default:
                break;
        }
        String path = r.getUrl().replaceAll("\\?.*$", "");
        String method = r.getMethod().getName();
        Matcher m;
        // Tidegate's own identity: the author of the comments it posts here
        if (method.equals("GET") && path.equals("/user")) {
            return json(200, "{\"login\":\"tidegate[bot]\",\"id\":1}");
        }
        if (method.equals("GET") && path.equals("/app")) {
            return json(200, "{\"slug\":\"tidegate\",\"id\":1}");
        }
        if (method.equals("GET") && (m = REVIEWS.matcher(path)).matches()) {
            return json(200, reviews(pr(m.group(1), Integer.parseInt(m.group(2)))));
        }
        if (method.equals("GET") && (m = PULL.matcher(path)).matches()) {
            return json(200, pullJson(m.group(1), Integer.parseInt(m.group(2))));
        }
        if (method.equals("GET") && (m = MEMBERSHIP.matcher(path)).matches()) {
            boolean member = members.getOrDefault((m.group(1) + "/" + m.group(2)).toLowerCase(),
                    Set.of()).contains(m.group(3).toLowerCase());
            return member ? json(200, "{\"state\":\"active\",\"role\":\"member\"}")
                    : json(404, "{\"message\":\"Not Found\"}");
        }
        if ((m = COMMENTS.matcher(path)).matches()) {
            String key = m.group(1) + "#" + m.group(2);
            if (method.equals("GET")) {
                return json(200, commentsJson(m.group(1),
                        comments.getOrDefault(key, List.of())));
            }
            Comment c;
            synchronized (this) {
                c = new Comment(nextId++, "tidegate[bot]", JSON.readTree(r.getBodyAsString())
                        .path("body").asText());
            }
            comments.computeIfAbsent(key, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(c);
            return json(201, commentJson(m.group(1), c).toString());
        }
        if (method.equals("PATCH") && (m = COMMENT.matcher(path)).matches()) {
            long id = Long.parseLong(m.group(2));
            String body = JSON.readTree(r.getBodyAsString()).path("body").asText();
            for (List<Comment> list : comments.values()) {
                synchronized (list) {
                    for (int i = 0; i < list.size(); i++) {
                        if (list.get(i).id() == id) {
                            Comment c = new Comment(id, list.get(i).login(), body);
                            list.set(i, c);
                            return json(200, commentJson(m.group(1), c).toString());
                        }
                    }
                }
            }
            return json(404, "{\"message\":\"Not Found\"}");
        }
        if (method.equals("GET") && (m = STATUS.matcher(path)).matches()) {
            ObjectNode combined = JSON.createObjectNode().put("state", "pending")
                    .put("sha", m.group(2));
            ArrayNode list = combined.putArray("statuses");
            List<Status> all = new ArrayList<>(statuses.getOrDefault(m.group(1) + "@"
                    + m.group(2), List.of()));
            Collections.reverse(all); // newest first, as GitHub lists them
            Set<String> seen = new LinkedHashSet<>();
            for (Status s : all) {
                if (seen.add(s.context())) {
                    list.addObject().put("context", s.context()).put("state", s.state())
                            .put("description", s.description())
                            .put("target_url", s.targetUrl());
                }
            }
            return json(200, combined.toString());
        }
        if (method.equals("POST") && (m = STATUSES.matcher(path)).matches()) {
            JsonNode b = JSON.readTree(r.getBodyAsString());
            Status s = new Status(b.path("context").asText(), b.path("state").asText(),
                    b.path("description").asText(), b.path("target_url").asText(null));
            statuses.computeIfAbsent(m.group(1) + "@" + m.group(2),
                    k -> Collections.synchronizedList(new ArrayList<>())).add(s);
            return json(201, "{\"id\":1,\"state\":\"" + s.state() + "\",\"context\":\""
                    + s.context() + "\"}");
        }
        if (method.equals("GET") && (m = REPO.matcher(path)).matches()
                && path.equals(m.group(0))) {
            return json(200, repoJson(m.group(1)));
        }
        return json(404, "{\"message\":\"Not Found\"}");
    }

    private static ResponseDefinition json(int status, String body) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder()
                .withStatus(status).withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("X-RateLimit-Limit", "5000")
                .withHeader("X-RateLimit-Remaining", "4990")
                .withBody(body).build();
    }

    private String repoJson(String repo) {
        String owner = repo.substring(0, repo.indexOf('/'));
        return "{\"id\":1,\"name\":\"" + repo.substring(repo.indexOf('/') + 1)
                + "\",\"full_name\":\"" + repo + "\",\"owner\":{\"login\":\"" + owner
                + "\",\"id\":1,\"type\":\"Organization\"},\"url\":\"" + base() + "/repos/"
                + repo + "\",\"html_url\":\"https://github.com/" + repo + "\"}";
    }

    private String pullJson(String repo, int number) {
        Pr p = pr(repo, number);
        ObjectNode n = JSON.createObjectNode();
        n.put("url", base() + "/repos/" + repo + "/pulls/" + number).put("id", number)
                .put("number", number).put("state", "open").put("title", "Change infra")
                .put("body", p.body).put("draft", false).put("mergeable_state", "clean")
                .put("html_url", "https://github.com/" + repo + "/pull/" + number);
        n.putObject("user").put("login", p.author).put("id", 11);
        ArrayNode labels = n.putArray("labels");
        p.labels.forEach(l -> labels.addObject().put("id", 1).put("name", l));
        ObjectNode head = n.putObject("head").put("ref", "feature/x").put("sha", p.headSha);
        head.putObject("repo").put("full_name", repo).putObject("owner").put("login", "o");
        ObjectNode base = n.putObject("base").put("ref", p.base).put("sha", "0".repeat(40));
        base.putObject("repo").put("full_name", repo).putObject("owner").put("login", "o");
        return n.toString();
    }

    private static String reviews(Pr p) {
        ArrayNode a = JSON.createArrayNode();
        long id = 1;
        synchronized (p.reviews) {
            for (String[] r : p.reviews) {
                ObjectNode o = a.addObject().put("id", id++).put("state", r[0 + 1])
                        .put("commit_id", r[2]).put("body", "");
                o.putObject("user").put("login", r[0]).put("id", id);
            }
        }
        return a.toString();
    }

    private String commentsJson(String repo, List<Comment> list) {
        ArrayNode a = JSON.createArrayNode();
        synchronized (list) {
            list.forEach(c -> a.add(commentJson(repo, c)));
        }
        return a.toString();
    }

    private ObjectNode commentJson(String repo, Comment c) {
        ObjectNode o = JSON.createObjectNode().put("id", c.id()).put("body", c.body())
                .put("html_url", "https://github.com/" + repo + "/pull/1#issuecomment-"
                        + c.id())
                .put("url", base() + "/repos/" + repo + "/issues/comments/" + c.id());
        o.putObject("user").put("login", c.login());
        return o;
    }
}
