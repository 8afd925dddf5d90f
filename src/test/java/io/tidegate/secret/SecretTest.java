package io.tidegate.secret;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretTest {

    @Test
    void printsMaskNeverValue() {
        assertThat(new Secret("s3cr3t").toString()).isEqualTo("****");
        assertThat(Secret.ABSENT.toString()).isEqualTo("(not set)");
    }

    @Test
    void matchesOnlyTheExactValueAndNeverWhenAbsent() {
        Secret s = new Secret("token-1");

        assertThat(s.matches("token-1")).isTrue();
        assertThat(s.matches("token-2")).isFalse();
        assertThat(s.matches("token-")).isFalse();
        assertThat(s.matches(null)).isFalse();
        assertThat(Secret.ABSENT.matches("")).isFalse();
    }
}
