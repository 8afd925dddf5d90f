package io.tidegate.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

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

    /** CI: another test's "api-token" left "****-123456" of this server's "api-token-123456". */
    @Test
    void aSecretThatStartsWithAnotherIsMaskedWhole() {
        SecretRedactor.register("api-token");
        SecretRedactor.register("api-token-123456");

        assertThat(SecretRedactor.redact("a api-token-123456 b api-token c"))
                .isEqualTo("a **** b **** c");
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

    /**
     * The literal looked for before each regular expression never skips a match: on random text
     * made of the shapes' pieces, redacting equals running every expression unconditionally
     * (the expressions as they were before the look-ahead, copied here as the reference).
     */
    @Test
    void lookingForTheLiteralFirstMasksExactlyWhatTheExpressionsAloneMask() {
        List<Pattern> reference = List.of(Pattern.compile("(?<=://)[^/@\\s\"']+(?=@)"),
                Pattern.compile("\\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})"),
                Pattern.compile("\\bxox[abposr]-[A-Za-z0-9-]{8,}"),
                Pattern.compile("(?<=hooks\\.slack\\.com/services/)[A-Za-z0-9/]+"),
                Pattern.compile("(?i)(?<=bearer )[A-Za-z0-9._~+/=-]{8,}"));
        String[] pieces = {"bearer ", "BeArEr ", "Bearer\t", "gh", "ghp_", "gho_", "github_pat_",
            "xoxb-", "xoxp", "://", "https://", "@", "hooks.slack.com/services/", "T000/B0/",
            "abcdefghij", "0123456789", "ABCDEFGHIJ", " ", "_", "-", "/", ".", "é", "\n"};
        Random random = new Random(19);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = random.nextInt(12); n >= 0; n--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            String expected = text.toString();
            for (Pattern p : reference) {
                expected = p.matcher(expected).replaceAll(SecretRedactor.MASK);
            }
            assertThat(SecretRedactor.redact(text.toString())).as("%s", text).isEqualTo(expected);
        }
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
