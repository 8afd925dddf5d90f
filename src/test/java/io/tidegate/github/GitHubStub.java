package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import io.tidegate.TestClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import okhttp3.OkHttpClient;

/**
 * WireMock standing in for api.github.com, with GitHub's caching and rate-limit headers, plus
 * the helpers the GitHub adapter tests share (a settable clock, the request journal in order).
 */
final class GitHubStub implements AutoCloseable {
    static final String TOKEN = "ghp_TestToken0123456789abcdefABCDEF";
    static final String SHA = "6dcb09b5b57875f334f61aebed695e2e4193db5e";
    static final String OLD_SHA = "e5bd3914e2e596debea16f433f57875b5b90bcd6";

    final WireMockServer wm = new WireMockServer(
            WireMockConfiguration.options().dynamicPort());
    final TestClock clock = new TestClock(Instant.parse("2026-11-23T01:00:00Z"));
    final MeterRegistry registry = new SimpleMeterRegistry();
    final OkHttpClient shared = new OkHttpClient();

    GitHubStub() {
        wm.start();
    }

    String base() {
        return "http://localhost:" + wm.port();
    }

    GitHubSettings settings(GitHubCredentials credentials) {
        return GitHubSettings.defaults(URI.create(base()), credentials)
                .withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(40))
                .withRetries(2, Duration.ofMillis(20), Duration.ofSeconds(2));
    }

    GitHubSettings tokenSettings() {
        return settings(new GitHubCredentials.PersonalToken(TOKEN));
    }

    GitHubApi connect(GitHubSettings settings) throws Exception {
        return GitHubApi.connect(settings, shared, registry, clock);
    }

    /** 200 with GitHub's cache headers; a request with the same ETag gets a 304. */
    void cachedGet(String url, String etag, String json) {
        cachedGet(url, etag, json, null);
    }

    void cachedGet(String url, String etag, String json, String link) {
        ResponseDefinitionBuilder ok = github(200).withHeader("ETag", etag).withBody(json);
        if (link != null) {
            ok = ok.withHeader("Link", link);
        }
        wm.stubFor(get(urlEqualTo(url)).atPriority(1)
                .withHeader("If-None-Match", equalTo(etag))
                .willReturn(github(304).withHeader("ETag", etag)));
        wm.stubFor(get(urlEqualTo(url)).atPriority(5).willReturn(ok));
    }

    /** A response with the headers api.github.com sends on every answer. */
    ResponseDefinitionBuilder github(int status) {
        return aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json; charset=utf-8")
                .withHeader("Cache-Control", "private, max-age=60, s-maxage=60")
                .withHeader("Vary", "Accept, Authorization, Cookie, X-GitHub-OTP")
                .withHeader("X-RateLimit-Limit", "5000")
                .withHeader("X-RateLimit-Remaining", "4990")
                .withHeader("X-RateLimit-Reset",
                        Long.toString(clock.instant().plusSeconds(3600).getEpochSecond()));
    }

    void repository(String fullName) {
        String owner = fullName.substring(0, fullName.indexOf('/'));
        String name = fullName.substring(fullName.indexOf('/') + 1);
        cachedGet("/repos/" + fullName, "\"etag-repo\"", "{\"id\":1296269,\"name\":\"" + name
                + "\",\"full_name\":\"" + fullName + "\",\"owner\":{\"login\":\"" + owner
                + "\",\"id\":1,\"type\":\"Organization\"},\"url\":\"" + base() + "/repos/"
                + fullName + "\",\"html_url\":\"https://github.com/" + fullName + "\"}");
    }

    String pullRequestJson(String repo, int number, String headSha, String headRepo) {
        String repoJson =
                "{\"full_name\":\"%s\",\"name\":\"infra\",\"owner\":{\"login\":\"acme\"}}";
        return "{\"url\":\"" + base() + "/repos/" + repo + "/pulls/" + number + "\",\"id\":1,"
                + "\"number\":" + number + ",\"state\":\"open\",\"title\":\"Add a VPC\","
                + "\"body\":\"Adds the prod VPC\",\"draft\":false,\"mergeable_state\":\"clean\","
                + "\"html_url\":\"https://github.com/" + repo + "/pull/" + number + "\","
                + "\"user\":{\"login\":\"alice\",\"id\":11},"
                + "\"labels\":[{\"id\":1,\"name\":\"prod\"},{\"id\":2,\"name\":\"network\"}],"
                + "\"head\":{\"ref\":\"feature/infra-vpc\",\"sha\":\"" + headSha + "\",\"repo\":"
                + String.format(repoJson, headRepo) + "},"
                + "\"base\":{\"ref\":\"main\",\"sha\":\"" + OLD_SHA + "\",\"repo\":"
                + String.format(repoJson, repo) + "}}";
    }

    static String review(long id, String login, String state, String commit) {
        return "{\"id\":" + id + ",\"user\":{\"login\":\"" + login + "\",\"id\":" + id + "},"
                + "\"body\":\"\",\"state\":\"" + state + "\",\"commit_id\":"
                + (commit == null ? "null" : "\"" + commit + "\"")
                + ",\"submitted_at\":\"2026-11-22T10:00:00Z\"}";
    }

    /** Reviews over two pages linked as GitHub links them. */
    void reviews(String repo, int number, List<String> page1, List<String> page2) {
        String path = "/repos/" + repo + "/pulls/" + number + "/reviews";
        String link = "<" + base() + path + "?per_page=100&page=2>; rel=\"next\", <" + base()
                + path + "?per_page=100&page=2>; rel=\"last\"";
        cachedGet(path + "?per_page=100", "\"etag-reviews-1\"",
                "[" + String.join(",", page1) + "]", link);
        cachedGet(path + "?per_page=100&page=2", "\"etag-reviews-2\"",
                "[" + String.join(",", page2) + "]", null);
    }

    /** "METHOD /path?query" of every request, oldest first. */
    List<String> journal() {
        List<String> out = new ArrayList<>();
        for (LoggedRequest r : requests()) {
            out.add(r.getMethod() + " " + r.getUrl());
        }
        return out;
    }

    List<LoggedRequest> requests() {
        List<ServeEvent> events = new ArrayList<>(wm.getAllServeEvents());
        Collections.reverse(events);
        return events.stream().map(ServeEvent::getRequest).toList();
    }

    double calls(String outcome) {
        return registry.find(ApiCallMeter.CALLS).tag("outcome", outcome).counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    @Override
    public void close() {
        wm.stop();
    }

}
