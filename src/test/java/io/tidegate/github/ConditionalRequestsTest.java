package io.tidegate.github;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory ETag revalidation under hub4j and the plain calls: every GET after the first is
 * conditional, a 304 comes back as the kept 200 (body and {@code Link}), a 404 forgets, and what
 * is kept is bounded.
 */
class ConditionalRequestsTest {
    private static final String TOKEN = "ghp_conditionalToken0123456789abcdefAB";
    private static final String LINK = "<http://localhost/x?page=2>; rel=\"next\"";

    private final GitHubStub stub = new GitHubStub();
    private ConditionalRequests conditional = new ConditionalRequests(1_000_000);
    private OkHttpClient http = client();

    private OkHttpClient client() {
        return new OkHttpClient.Builder().addInterceptor(conditional).build();
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    private Response fetch(String path) throws IOException {
        return http.newCall(new Request.Builder().url(stub.base() + path)
                .header("Authorization", "token " + TOKEN)
                .header("Accept", "application/vnd.github+json").build()).execute();
    }

    private String body(String path) throws IOException {
        try (Response r = fetch(path)) {
            assertThat(r.code()).isEqualTo(200);
            return r.body().string();
        }
    }

    @Test
    void unchangedAnswerIsAsked304AndReadBackAsTheKept200WithItsLink() throws Exception {
        stub.cachedGet("/repos/acme/infra/pulls/7/reviews", "\"r1\"", "[{\"id\":1}]", LINK);
        assertThat(body("/repos/acme/infra/pulls/7/reviews")).isEqualTo("[{\"id\":1}]");

        try (Response again = fetch("/repos/acme/infra/pulls/7/reviews")) {
            assertThat(again.code()).isEqualTo(200);
            assertThat(again.header("Link")).isEqualTo(LINK);
            assertThat(again.body().string()).isEqualTo("[{\"id\":1}]");
        }
        List<LoggedRequest> sent = stub.requests();
        assertThat(sent).extracting(r -> r.getHeader("If-None-Match"))
                .containsExactly(null, "\"r1\"");
        assertThat(stub.wm.getAllServeEvents()).extracting(e -> e.getResponse().getStatus())
                .containsExactlyInAnyOrder(200, 304);
    }

    @Test
    void changedAnswerReplacesTheKeptOne() throws Exception {
        stub.cachedGet("/x", "\"1\"", "{\"v\":1}");
        body("/x");
        stub.wm.resetMappings();
        stub.cachedGet("/x", "\"2\"", "{\"v\":2}");

        assertThat(body("/x")).isEqualTo("{\"v\":2}");
        assertThat(body("/x")).isEqualTo("{\"v\":2}");
        assertThat(stub.requests()).extracting(r -> r.getHeader("If-None-Match"))
                .containsExactly(null, "\"1\"", "\"2\"");
    }

    @Test
    void notFoundForgetsTheKeptAnswer() throws Exception {
        stub.cachedGet("/x", "\"1\"", "{\"v\":1}");
        body("/x");
        stub.wm.resetMappings();
        stub.wm.stubFor(get(urlEqualTo("/x")).willReturn(stub.github(404).withBody("{}")));
        try (Response gone = fetch("/x")) {
            assertThat(gone.code()).isEqualTo(404);
        }
        assertThat(conditional.size()).isZero();
        try (Response still = fetch("/x")) {
            assertThat(still.code()).isEqualTo(404);
        }
        assertThat(stub.requests().get(2).containsHeader("If-None-Match")).isFalse();
    }

    @Test
    void noCacheRequestIsSentUnconditionally() throws Exception {
        stub.cachedGet("/x", "\"1\"", "{\"v\":1}");
        body("/x");
        try (Response r = http.newCall(new Request.Builder().url(stub.base() + "/x")
                .header("Cache-Control", "no-cache").build()).execute()) {
            assertThat(r.code()).isEqualTo(200);
        }
        assertThat(stub.requests().get(1).containsHeader("If-None-Match")).isFalse();
    }

    @Test
    void keptBodiesAreBoundedLeastRecentlyUsedFirstOut() throws Exception {
        conditional = new ConditionalRequests(20);
        http = client();
        stub.cachedGet("/a", "\"a\"", "{\"a\":\"12345\"}"); // 13 bytes
        stub.cachedGet("/b", "\"b\"", "{\"b\":\"12345\"}");
        body("/a");
        body("/b");
        assertThat(conditional.size()).isEqualTo(1);
        stub.wm.resetRequests();
        body("/b");
        body("/a");
        assertThat(stub.requests()).extracting(r -> r.getHeader("If-None-Match"))
                .containsExactly("\"b\"", null);
    }
}
