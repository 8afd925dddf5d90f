package io.tidegate.github;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The OkHttp interceptor that makes every GET to GitHub conditional: it keeps, per URL, the last
 * 200's {@code ETag} and body bytes on the heap, sends {@code If-None-Match} with it, and turns
 * GitHub's 304 (nothing changed; free of rate limit) back into that 200, so hub4j and our own
 * calls read the kept body as if it had just arrived. Nothing is ever answered without asking
 * GitHub, and nothing is written to disk.
 *
 * <p>This replaces OkHttp's {@code Cache} (which hub4j's {@code OkHttpGitHubConnector} is meant to
 * sit on, github-api 1.330 {@code extras/okhttp3/OkHttpGitHubConnector.java}): a cache entry
 * records the request headers the response {@code Vary}s on, and GitHub varies on
 * {@code Authorization}, so it would hold the token. Here an entry holds only the response's body
 * and the headers needed to read it again ({@code ETag}, {@code Link} for the next page,
 * {@code Content-Type}, {@code Content-Encoding}: hub4j asks for gzip itself and inflates what it
 * gets). The key is the URL with {@code Accept} and {@code Accept-Encoding}, never a credential:
 * all credentials are Tidegate's own, and GitHub checks the credential before it answers 304.
 *
 * <p>A request that carries its own {@code If-None-Match}, or {@code Cache-Control: no-cache}
 * (hub4j's retry after a 404 that carried an ETag, {@code GitHubClient
 * #detectInvalidCached404Response}), is sent as it is. A 404 forgets the URL. Bounded by the sum
 * of kept body sizes, least recently used first out. Thread-safe.
 */
final class ConditionalRequests implements Interceptor {
    /**
     * A header on the response handed back for a 304, never on the wire: {@link JsonCalls} reuses
     * what it decoded from the kept body only then.
     */
    static final String REPLAYED = "Tidegate-Replayed-304";

    /**
     * One kept answer: body bytes as received and the headers that describe them; the media
     * type as OkHttp parsed it, so a replay does not parse it again.
     */
    private record Kept(String etag, byte[] body, Optional<String> contentType,
            Optional<MediaType> mediaType, Optional<String> contentEncoding,
            Optional<String> link) {}

    private final long maxBytes;
    private final LinkedHashMap<String, Kept> kept = new LinkedHashMap<>(16, 0.75f, true);
    private long keptBytes;

    ConditionalRequests(long maxBytes) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes must be positive, got " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        if (!"GET".equals(request.method()) || request.header("If-None-Match") != null
                || "no-cache".equals(request.header("Cache-Control"))) {
            return chain.proceed(request);
        }
        String key = key(request);
        Kept known = known(key);
        Request sent = known == null ? request
                : request.newBuilder().header("If-None-Match", known.etag()).build();
        Response response = chain.proceed(sent);
        if (response.code() == 304 && known != null) {
            response.close();
            return replay(response, known);
        }
        if (response.code() == 404) {
            forget(key);
            return response;
        }
        String etag = response.header("ETag");
        ResponseBody body = response.body();
        if (response.code() != 200 || etag == null || etag.isBlank() || body == null) {
            return response;
        }
        byte[] bytes = body.bytes();
        remember(key, new Kept(etag, bytes, Optional.ofNullable(response.header("Content-Type")),
                Optional.ofNullable(body.contentType()),
                Optional.ofNullable(response.header("Content-Encoding")),
                Optional.ofNullable(response.header("Link"))));
        return response.newBuilder().body(ResponseBody.create(bytes, body.contentType())).build();
    }

    /** The 304 as the 200 it stands for: GitHub's fresh headers, the kept body. */
    private static Response replay(Response notModified, Kept known) {
        Response.Builder b = notModified.newBuilder().code(200).message("OK")
                .header("ETag", known.etag())
                .header(REPLAYED, "true")
                .removeHeader("Content-Length")
                .body(ResponseBody.create(known.body(), known.mediaType().orElse(null)));
        known.contentType().ifPresent(v -> b.header("Content-Type", v));
        if (known.contentEncoding().isPresent()) {
            b.header("Content-Encoding", known.contentEncoding().get());
        } else {
            b.removeHeader("Content-Encoding");
        }
        if (known.link().isPresent()) {
            b.header("Link", known.link().get());
        } else {
            b.removeHeader("Link");
        }
        return b.build();
    }

    private static String key(Request request) {
        return request.url() + " " + Objects.toString(request.header("Accept"), "") + " "
                + Objects.toString(request.header("Accept-Encoding"), "");
    }

    private synchronized Kept known(String key) {
        return kept.get(key);
    }

    private synchronized void remember(String key, Kept value) {
        if (value.body().length > maxBytes) {
            return;
        }
        Kept old = kept.put(key, value);
        keptBytes += value.body().length - (old == null ? 0 : old.body().length);
        var eldest = kept.entrySet().iterator();
        while (keptBytes > maxBytes && eldest.hasNext()) {
            keptBytes -= eldest.next().getValue().body().length;
            eldest.remove();
        }
    }

    private synchronized void forget(String key) {
        Kept old = kept.remove(key);
        if (old != null) {
            keptBytes -= old.body().length;
        }
    }

    /** Drops everything kept. */
    synchronized void clear() {
        kept.clear();
        keptBytes = 0;
    }

    /** How many answers are kept (for tests). */
    synchronized int size() {
        return kept.size();
    }
}
