package io.tidegate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SecretRedactorTest {

    @AfterEach
    void forget() {
        SecretRedactor.clear();
    }

    @Test
    void registeredSecretsAreMaskedWhereverTheyAppear() {
        SecretRedactor.register("hook-secret-value");

        assertThat(SecretRedactor.redact("secret=hook-secret-value; again hook-secret-value"))
                .isEqualTo("secret=****; again ****");
    }

    @Test
    void credentialsInUrlsAreMasked() {
        assertThat(SecretRedactor.redact(
                "cloning https://atlantis-bot:gho_abcdefghijklmnopqrstuvwxyz@github.com/acme/infra.git"))
                .isEqualTo("cloning https://****@github.com/acme/infra.git");
    }

    @Test
    void tokensAreMaskedByShapeEvenWhenNotRegistered() {
        assertThat(SecretRedactor.redact("token ghp_0123456789abcdefghijABCDEFGHIJ used"))
                .isEqualTo("token **** used");
        assertThat(SecretRedactor.redact("Authorization: Bearer abc.def.ghi-jkl"))
                .isEqualTo("Authorization: Bearer ****");
        assertThat(SecretRedactor.redact("posting to https://hooks.slack.com/services/T000/B000/XXXX"))
                .isEqualTo("posting to https://hooks.slack.com/services/****");
    }

    @Test
    void everyShapeIsFoundWhereverItSitsInTheText() {
        assertThat(SecretRedactor.redact("a BEARER 0123456789abcdef"))
                .isEqualTo("a BEARER ****");
        assertThat(SecretRedactor.redact("bearer 0123456789abcdef"))
                .isEqualTo("bearer ****");
        assertThat(SecretRedactor.redact("x github_pat_11ABCDEFG0123456789_abcdefghijklmnop"))
                .isEqualTo("x ****");
        assertThat(SecretRedactor.redact("t=xoxb-1234567890-abcdef end"))
                .isEqualTo("t=**** end");
        assertThat(SecretRedactor.redact("git://tok3n@host/x"))
                .isEqualTo("git://****@host/x");
        assertThat(SecretRedactor.redact("no credential here: high right_now bear"))
                .isEqualTo("no credential here: high right_now bear");
    }

    @Test
    void tooShortValuesAreNotRegisteredSoLogsStayReadable() {
        SecretRedactor.register("ab");

        assertThat(SecretRedactor.redact("about abc")).isEqualTo("about abc");
    }

    @Test
    void layoutMasksMessagesAndStackTracesInTextAndJson() {
        SecretRedactor.register("api-token-value");
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        Logger logger = ctx.getLogger("io.tidegate.Example");
        LoggingEvent event = new LoggingEvent("x", logger, Level.WARN,
                "caller sent {}", new IllegalStateException("bad api-token-value"),
                new Object[] {"api-token-value"});

        RedactingLayout text = new RedactingLayout();
        text.setFormat("text");
        RedactingLayout json = new RedactingLayout();
        json.setFormat("json");

        assertThat(text.doLayout(event)).contains("WARN  Example - caller sent ****")
                .contains("IllegalStateException: bad ****")
                .doesNotContain("api-token-value");
        assertThat(json.doLayout(event)).contains("\"level\":\"WARN\"")
                .contains("\"message\":\"caller sent ****\"")
                .doesNotContain("api-token-value")
                .endsWith("}" + System.lineSeparator());
    }
}
