package io.tidegate.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class DecodeCacheTest {
    private final AtomicInteger decodes = new AtomicInteger();

    private String decode(String text) {
        decodes.incrementAndGet();
        return text.toUpperCase();
    }

    @Test
    void aTextSeenBeforeIsNotDecodedAgain() {
        DecodeCache<String> cache = new DecodeCache<>(4, 1_000);
        assertThat(cache.get("abc", this::decode)).isEqualTo("ABC");
        assertThat(cache.get(new String("abc"), this::decode)).isEqualTo("ABC");
        assertThat(decodes).hasValue(1);
    }

    @Test
    void theLeastRecentlyUsedTextLeavesFirstWhenEntriesRunOut() {
        DecodeCache<String> cache = new DecodeCache<>(2, 1_000);
        cache.get("a", this::decode);
        cache.get("b", this::decode);
        cache.get("a", this::decode);
        cache.get("c", this::decode); // "b" leaves
        assertThat(cache.size()).isEqualTo(2);
        cache.get("a", this::decode);
        assertThat(decodes).hasValue(3);
        cache.get("b", this::decode);
        assertThat(decodes).hasValue(4);
    }

    @Test
    void keysAreBoundedByTheCharactersTheyHold() {
        DecodeCache<String> cache = new DecodeCache<>(100, 100);
        for (int i = 0; i < 20; i++) {
            cache.get(i + "-" + "x".repeat(8), this::decode); // 10-11 characters each
        }
        assertThat(cache.size()).isLessThanOrEqualTo(10);
    }

    @Test
    void aTextLongerThanATenthOfTheBoundIsNeverKept() {
        DecodeCache<String> cache = new DecodeCache<>(100, 100);
        String big = "y".repeat(11);
        cache.get(big, this::decode);
        cache.get(big, this::decode);
        assertThat(decodes).hasValue(2);
        assertThat(cache.size()).isZero();
    }
}
