package io.tidegate.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Values decoded from stored text, kept by that text, least recently used first out. Bounded
 * both in entries and in the characters the keys hold, so a few huge plans cannot fill the
 * sidecar's small heap; a text longer than a tenth of the character bound is decoded every time.
 * Only for immutable values that are a pure function of their text.
 */
final class DecodeCache<V> {
    private final int maxEntries;
    private final long maxChars;
    private final LinkedHashMap<String, V> entries = new LinkedHashMap<>(16, 0.75f, true);
    private long chars;

    DecodeCache(int maxEntries, long maxChars) {
        this.maxEntries = maxEntries;
        this.maxChars = maxChars;
    }

    /** The value of {@code text}: kept, or decoded (outside the cache's lock) and kept. */
    V get(String text, Function<String, V> decode) {
        if (text.length() > maxChars / 10) {
            return decode.apply(text);
        }
        synchronized (this) {
            V kept = entries.get(text);
            if (kept != null) {
                return kept;
            }
        }
        V value = decode.apply(text);
        synchronized (this) {
            if (entries.put(text, value) == null) {
                chars += text.length();
            }
            var it = entries.entrySet().iterator();
            while ((entries.size() > maxEntries || chars > maxChars) && it.hasNext()) {
                Map.Entry<String, V> eldest = it.next();
                chars -= eldest.getKey().length();
                it.remove();
            }
        }
        return value;
    }

    synchronized int size() {
        return entries.size();
    }
}
