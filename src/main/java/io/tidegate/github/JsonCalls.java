package io.tidegate.github;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.kohsuke.github.HttpException;

/**
 * Plain JSON calls to GitHub's REST API for the few reads hub4j 1.330 cannot make at the same
 * cost (each says why where it is used: the PR, its reviews and changed files, team
 * memberships and a commit's tree in {@link GitHubPullRequests}; the combined status in
 * {@link GitHubPullRequestWriter}).
 * They go over the OkHttp client hub4j uses ({@link GitHubApi}), so they are conditional,
 * metered, retried and time-boxed exactly like hub4j's calls, carry the {@code Authorization}
 * header of hub4j's providers, and fail the way hub4j's do: a non-2xx status becomes hub4j's
 * {@link HttpException}, which {@link GitHubApi#translate} maps like any other.
 *
 * <p>The reads a gate decision makes every time (the PR, its reviews) are decoded once per
 * answer: GitHub answers them 304 while nothing changed, {@link ConditionalRequests} hands back
 * the body it kept, and parsing that body again to the same facts was a twentieth of the gate's
 * CPU (issue 19). {@link #decoded} keeps, per URL, what its decoder made of the body under the
 * answer's {@code ETag}, and gives it back only for a 304 with that same {@code ETag}: a 200 is
 * always decoded afresh.
 */
final class JsonCalls {
    static final String API_VERSION = "2022-11-28";
    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    /** 50 pages of 100: far beyond any real PR; a loop guard, not a limit anyone should meet. */
    static final int MAX_PAGES = 50;

    /** Decoded answers kept; each is a few small records, far fewer than the kept bodies. */
    static final int KEPT_DECODED = 1024;

    /** What a body means to its caller; a failure is a {@link GitHubException} saying why. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(JsonNode body, String what) throws GitHubException;
    }

    /**
     * The body itself, never kept: a JSON tree can be changed by whoever holds it, so each call
     * gets its own.
     */
    private static final Decoder<JsonNode> AS_IS = (body, what) -> body;

    /** A decoded answer: the {@code ETag} it came with, the decoder that made it, the result. */
    private record Decoded(String etag, Decoder<?> decoder, Object value) {}

    private final OkHttpClient http;
    private final HttpUrl apiUrl;
    private final ObjectMapper mapper;
    /** Key: the URL. Least recently used first out. */
    private final Map<String, Decoded> decoded = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Decoded> eldest) {
            return size() > KEPT_DECODED;
        }
    };

    JsonCalls(OkHttpClient http, HttpUrl apiUrl, ObjectMapper mapper) {
        this.http = Objects.requireNonNull(http, "http == null");
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
        return get(path, authorization, what, AS_IS);
    }

    /**
     * The body of a GET as {@code decoder} makes it, or empty on 404; decoded once per answer
     * (above). {@code decoder} is a constant: a result is given back only to the decoder that
     * made it.
     */
    <T> Optional<T> get(String path, String authorization, String what, Decoder<T> decoder)
            throws GitHubException {
        try (Response r = execute(get(url(path), authorization), what)) {
            if (r.code() == 404) {
                return Optional.empty();
            }
            return Optional.of(decode(r, what, decoder));
        }
    }

    /** Every page of a paginated GET as {@code decoder} makes each; see {@link #get}. */
    <T> List<T> pages(HttpUrl first, String authorization, String what, Decoder<T> decoder)
            throws GitHubException {
        List<T> pages = new ArrayList<>();
        HttpUrl next = first;
        while (next != null) {
            if (pages.size() == MAX_PAGES) {
                throw tooManyPages(what);
            }
            try (Response r = execute(get(next, authorization), what)) {
                if (r.code() == 404) {
                    throw notFound(next, what);
                }
                pages.add(decode(r, what, decoder));
                next = nextPage(r.header("Link"), what);
            }
        }
        return pages;
    }

    /** Every page of a paginated GET, following {@code Link: rel="next"} on the same host. */
    List<JsonNode> pages(HttpUrl first, String authorization, String what)
            throws GitHubException {
        return pages(first, authorization, what, AS_IS);
    }

    private static GitHubException tooManyPages(String what) {
        return new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                "more than " + MAX_PAGES + " pages", null);
    }

    private static GitHubException notFound(HttpUrl url, String what) {
        return new GitHubException(what, GitHubException.Failure.NOT_FOUND,
                "HTTP 404 for " + url.encodedPath(), null);
    }

    /**
     * The kept decoding when this is {@link ConditionalRequests}'s replay of a 304 for the
     * {@code ETag} it was decoded under, by the same decoder; else the body decoded now, and kept
     * when the answer has an {@code ETag}.
     */
    private <T> T decode(Response r, String what, Decoder<T> decoder) throws GitHubException {
        if (decoder == AS_IS) {
            return decoder.decode(body(r, what), what);
        }
        String key = r.request().url().toString();
        String etag = r.header("ETag");
        if (etag != null && r.header(ConditionalRequests.REPLAYED) != null) {
            Decoded known;
            synchronized (decoded) {
                known = decoded.get(key);
            }
            if (known != null && known.decoder() == decoder && known.etag().equals(etag)) {
                @SuppressWarnings("unchecked") // made by this decoder, checked just above
                T value = (T) known.value();
                return value;
            }
        }
        T value = decoder.decode(body(r, what), what);
        if (etag != null) {
            synchronized (decoded) {
                decoded.put(key, new Decoded(etag, decoder, value));
            }
        }
        return value;
    }

    /** Forgets every decoded answer. */
    void clear() {
        synchronized (decoded) {
            decoded.clear();
        }
    }

    /** How many decoded answers are kept (for tests). */
    int decodedCount() {
        synchronized (decoded) {
            return decoded.size();
        }
    }

    private static Request get(HttpUrl url, String authorization) {
        return new Request.Builder().url(url)
                .header("Authorization", authorization)
                .header("Accept", "application/vnd.github+json")
                .header("X-GitHub-Api-Version", API_VERSION)
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
            throw GitHubApi.translate(what, new HttpException(errorBody(r), r.code(),
                    r.message(), request.url().toString()));
        }
    }

    private JsonNode body(Response r, String what) throws GitHubException {
        try {
            return mapper.readTree(r.body().byteStream());
        } catch (IOException e) {
            throw new GitHubException(what, GitHubException.Failure.BAD_RESPONSE,
                    "the response is not JSON", e);
        }
    }

    /** The start of an error's body, which {@link GitHubApi#translate} reads GitHub's message from. */
    private static String errorBody(Response r) {
        try {
            return r.peekBody(4096).string();
        } catch (IOException e) {
            return null;
        }
    }

    private HttpUrl nextPage(String link, String what) throws GitHubException {
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
}
