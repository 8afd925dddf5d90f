package io.tidegate.github;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import okhttp3.HttpUrl;
import okhttp3.Response;

/**
 * Reads GitHub answers that are asked for again and again (a PR and its reviews, at every gate
 * decision) and keeps, per URL, GitHub's {@code ETag} with our reading of the body. The next GET
 * sends {@code If-None-Match}: a 304 (GitHub's word that nothing changed; free of rate limit)
 * returns the kept reading, so an unchanged PR costs a round trip but no disk read and no JSON
 * parse; anything else is read afresh. Nothing is ever answered without asking GitHub.
 *
 * <p>Bounded (least recently used first out); thread-safe.
 *
 * @param <T> what a body is read as
 */
final class Revalidated<T> {
    /** One reading of a body, or the bad answer it was. */
    @FunctionalInterface
    interface Reading<T> {
        T read(JsonNode body, Response response) throws GitHubException;
    }

    private record Kept<T>(String etag, T value) {}

    private final JsonCalls json;
    private final Map<String, Kept<T>> kept;

    Revalidated(JsonCalls json, int capacity) {
        this.json = Objects.requireNonNull(json, "json == null");
        this.kept = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Kept<T>> eldest) {
                return size() > capacity;
            }
        };
    }

    /**
     * The body at {@code url} as {@code reading} reads it (or as it was read before, when GitHub
     * answers 304), or empty on 404; any other failure is thrown. One URL, one reading.
     */
    Optional<T> get(HttpUrl url, String authorization, String what, Reading<T> reading)
            throws GitHubException {
        String key = url.toString();
        Optional<Kept<T>> known = known(key);
        try (Response r = json.conditionalGet(url, authorization,
                known.map(Kept::etag), what)) {
            if (r.code() == 404) {
                forget(key);
                return Optional.empty();
            }
            if (r.code() == 304 && known.isPresent()) {
                return Optional.of(known.get().value());
            }
            T value = reading.read(json.body(r, what), r);
            String etag = r.header("ETag");
            if (etag != null && !etag.isBlank()) {
                remember(key, new Kept<>(etag, value));
            }
            return Optional.of(value);
        }
    }

    private synchronized Optional<Kept<T>> known(String key) {
        return Optional.ofNullable(kept.get(key));
    }

    private synchronized void remember(String key, Kept<T> value) {
        kept.put(key, value);
    }

    private synchronized void forget(String key) {
        kept.remove(key);
    }
}
