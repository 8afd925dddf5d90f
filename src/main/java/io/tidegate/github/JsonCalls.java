package io.tidegate.github;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Plain JSON calls to GitHub's REST API over the shared OkHttp client (so they are cached,
 * metered and retried like hub4j's), for the endpoints where hub4j 1.330 costs extra calls or has
 * no method: reviews (hub4j fetches {@code /users/{login}} per reviewer), team memberships,
 * combined status, App installations and tokens.
 */
final class JsonCalls {
    static final String API_VERSION = "2022-11-28";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    /** 50 pages of 100: far beyond any real PR; a loop guard, not a limit anyone should meet. */
    static final int MAX_PAGES = 50;

    private final OkHttpClient http;
    /**
     * The same client without the HTTP cache, for {@link #conditionalGet}: OkHttp reads a
     * cached entry's metadata from disk before it looks at the request's own condition.
     */
    private final OkHttpClient uncached;
    private final HttpUrl apiUrl;
    private final ObjectMapper mapper;

    JsonCalls(OkHttpClient http, HttpUrl apiUrl, ObjectMapper mapper) {
        this.http = Objects.requireNonNull(http, "http == null");
        this.uncached = http.newBuilder().cache(null).build();
        this.apiUrl = Objects.requireNonNull(apiUrl, "apiUrl == null");
        this.mapper = Objects.requireNonNull(mapper, "mapper == null");
    }

    /** {@code path} under the API URL, each segment between slashes percent-encoded. */
    HttpUrl url(String path) {
        HttpUrl.Builder b = apiUrl.newBuilder();
        for (String segment : path.substring(1).split("/")) {
            b.addPathSegment(segment);
        }
        return b.build();
    }

    /** The body of a GET, or empty on 404. */
    Optional<JsonNode> get(String path, String authorization, String what)
            throws GitHubException {
        try (Response r = execute(get(url(path), authorization), what)) {
            if (r.code() == 404) {
                return Optional.empty();
            }
            return Optional.of(body(r, what));
        }
    }

    /** Every page of a paginated GET, following {@code Link: rel="next"} on the same host. */
    List<JsonNode> pages(HttpUrl first, String authorization, String what)
            throws GitHubException {
        List<JsonNode> pages = new ArrayList<>();
        HttpUrl next = first;
        while (next != null) {
            if (pages.size() == MAX_PAGES) {
                throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                        "more than " + MAX_PAGES + " pages", null);
            }
            try (Response r = execute(get(next, authorization), what)) {
                if (r.code() == 404) {
                    throw new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                            "HTTP 404 for " + next.encodedPath(), null);
                }
                pages.add(body(r, what));
                next = nextPage(r.header("Link"), what);
            }
        }
        return pages;
    }

    JsonNode post(String path, String authorization, String json, String what)
            throws GitHubException {
        Request request = new Request.Builder().url(url(path))
                .header("Authorization", authorization)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                .post(RequestBody.create(json, JSON))
                .build();
        try (Response r = execute(request, what)) {
            if (r.code() == 404) {
                throw new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                        "HTTP 404 for " + request.url().encodedPath(), null);
            }
            return body(r, what);
        }
    }

    /**
     * A GET past the HTTP cache, conditional on {@code etag} when given: the caller keeps what
     * it read ({@link Revalidated}). Answers 2xx, 304 (only when {@code etag} was sent) or 404;
     * every other status becomes the exception. The caller closes the response.
     */
    Response conditionalGet(HttpUrl url, String authorization, Optional<String> etag,
            String what) throws GitHubException {
        Request.Builder b = new Request.Builder().url(url)
                .header("Authorization", authorization)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION);
        etag.ifPresent(e -> b.header("If-None-Match", e));
        Response r;
        try {
            r = uncached.newCall(b.build()).execute();
        } catch (IOException e) {
            throw GitHubApi.translate(what, e);
        }
        if (r.isSuccessful() || r.code() == 404 || (r.code() == 304 && etag.isPresent())) {
            return r;
        }
        try (r) {
            throw new GitHubException(what, GitHubApi.failureOf(r.code()),
                    "HTTP " + r.code() + messageOf(r), null);
        }
    }

    private static Request get(HttpUrl url, String authorization) {
        return new Request.Builder().url(url)
                .header("Authorization", authorization)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
                // Always revalidate: a 304 is free, a stale answer could skip a needed write.
                .header("Cache-Control", "max-age=0")
                .build();
    }

    /** The response if it is a 2xx or a 404; every other status becomes the exception. */
    private Response execute(Request request, String what) throws GitHubException {
        Response r;
        try {
            r = http.newCall(request).execute();
        } catch (IOException e) {
            throw GitHubApi.translate(what, e);
        }
        if (r.isSuccessful() || r.code() == 404) {
            return r;
        }
        try (r) {
            throw new GitHubException(what, GitHubApi.failureOf(r.code()),
                    "HTTP " + r.code() + messageOf(r), null);
        }
    }

    JsonNode body(Response r, String what) throws GitHubException {
        try {
            return mapper.readTree(r.body().byteStream());
        } catch (IOException e) {
            throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                    "the response is not JSON", e);
        }
    }

    /** GitHub's {@code message}, to say more than a status code. */
    private String messageOf(Response r) {
        try {
            JsonNode m = mapper.readTree(r.peekBody(4096).string()).get("message");
            // an upstream body goes no further than a short, redacted excerpt
            return m != null && m.isTextual() ? ": " + excerpt(m.textValue()) : "";
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** At most 200 characters of an upstream text, with credentials masked as in the logs. */
    static String excerpt(String upstream) {
        String redacted = io.tidegate.logging.SecretRedactor.redact(upstream);
        return redacted.length() <= 200 ? redacted : redacted.substring(0, 199) + "…";
    }

    HttpUrl nextPage(String link, String what) throws GitHubException {
        if (link == null) {
            return null;
        }
        Matcher m = NEXT.matcher(link);
        if (!m.find()) {
            return null;
        }
        HttpUrl next = HttpUrl.parse(m.group(1));
        // Our token goes only to the API host we were configured with.
        if (next == null || !next.host().equals(apiUrl.host()) || next.port() != apiUrl.port()
                || !next.scheme().equals(apiUrl.scheme())) {
            throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                    "next page is not on " + apiUrl.host(), null);
        }
        return next;
    }

    static String text(JsonNode node, String field, String what) throws GitHubException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.textValue().isBlank()) {
            throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                    "field '" + field + "' is missing or not a string", null);
        }
        return v.textValue();
    }

    static long positiveLong(JsonNode node, String field, String what) throws GitHubException {
        JsonNode v = node.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 1) {
            throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                    "field '" + field + "' is missing or not a positive number", null);
        }
        return v.longValue();
    }
}
