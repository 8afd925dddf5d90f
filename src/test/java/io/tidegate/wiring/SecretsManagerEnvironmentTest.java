package io.tidegate.wiring;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.core.OutputStreamAppender;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tidegate.TestAws;
import io.tidegate.notify.Delivery;
import io.tidegate.notify.SlackNotifier;
import io.tidegate.policy.NotificationRules.Event;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.regions.Region;

class SecretsManagerEnvironmentTest {
    static final String ARN =
            "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:prod-atlantis-secrets-AbCdEf";
    static final String GITHUB_TOKEN = "ghp_SecretTokenFromSecretsManager0123456789";
    static final String WEBHOOK_SECRET = "whsec-from-secrets-manager-42";
    static final String API_TOKEN = "api-token-from-secrets-manager-7";
    static final String PRIVATE_KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEsecretkeybody\n"
            + "-----END RSA PRIVATE KEY-----\n";
    static final List<String> SECRET_VALUES = List.of(GITHUB_TOKEN, WEBHOOK_SECRET, API_TOKEN,
            "T0SECRET/B0SECRET/slackpathsecret", "MIIEsecretkeybody");

    private static WireMockServer aws;
    private static AwsClients clients;
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path keyDir;

    /** The seed 003 layout plus the keys Tidegate adds, with a key Tidegate does not use. */
    static String secretJson(String slackBase) {
        Map<String, String> secret = new java.util.LinkedHashMap<>();
        secret.put("github_token", GITHUB_TOKEN);
        secret.put("webhook_secret", WEBHOOK_SECRET);
        secret.put("api_token", API_TOKEN);
        secret.put("slack_webhook_url", slackBase + "/services/T0SECRET/B0SECRET/slackpathsecret");
        secret.put("github_app_private_key", PRIVATE_KEY);
        secret.put("infracost_api_key", "ico-not-used-by-tidegate");
        try {
            return new ObjectMapper().writeValueAsString(secret);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void answerSecret(WireMockServer server, String secretString) throws Exception {
        Map<String, Object> response = Map.of("ARN", ARN, "Name", "prod-atlantis-secrets",
                "VersionId", "EXAMPLE1-90ab-cdef-fedc-ba987SECRET1",
                "SecretString", secretString, "CreatedDate", 1.523477145713E9);
        server.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody(new ObjectMapper().writeValueAsString(response))));
    }

    @BeforeAll
    static void start() {
        aws = new WireMockServer(options().dynamicPort());
        aws.start();
        clients = TestAws.clients(aws.baseUrl(), Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        clients.close();
        aws.stop();
    }

    @BeforeEach
    void reset() {
        aws.resetAll();
    }

    private SecretsManagerEnvironment secrets() {
        return new SecretsManagerEnvironment(clients.secretsManager(), keyDir);
    }

    @Test
    void readsTheSecretWithOneGetSecretValueCall() throws Exception {
        answerSecret(aws, secretJson("https://hooks.slack.com"));

        secrets().merge(Map.of(), ARN);

        List<LoggedRequest> sent = aws.findAll(postRequestedFor(urlEqualTo("/")));
        assertThat(sent).hasSize(1);
        assertThat(json.readTree(sent.get(0).getBodyAsString()))
                .isEqualTo(json.readTree("{\"SecretId\":\"" + ARN + "\"}"));
        assertThat(sent.get(0).getHeader("X-Amz-Target"))
                .isEqualTo("secretsmanager.GetSecretValue");
        assertThat(sent.get(0).getHeader("Content-Type")).isEqualTo("application/x-amz-json-1.1");
        assertThat(sent.get(0).getHeader("Authorization"))
                .contains("/ap-northeast-2/secretsmanager/aws4_request");
    }

    @Test
    void secretKeysBecomeTheVariablesConfigReads() throws Exception {
        answerSecret(aws, secretJson("https://hooks.slack.com"));

        Map<String, String> env = secrets().merge(Map.of("TIDEGATE_PORT", "0"), ARN);

        Path keyFile = Path.of(env.get("GITHUB_APP_PRIVATE_KEY_FILE"));
        Map<String, String> expected = new HashMap<>();
        expected.put("TIDEGATE_PORT", "0");
        expected.put("GITHUB_TOKEN", GITHUB_TOKEN);
        expected.put("GITHUB_WEBHOOK_SECRET", WEBHOOK_SECRET);
        expected.put("TIDEGATE_API_TOKEN", API_TOKEN);
        expected.put("SLACK_WEBHOOK_URL",
                "https://hooks.slack.com/services/T0SECRET/B0SECRET/slackpathsecret");
        expected.put("GITHUB_APP_PRIVATE_KEY_FILE", keyFile.toString());
        assertThat(env).isEqualTo(expected);
        assertThat(keyFile.getParent()).isEqualTo(keyDir);
        assertThat(Files.readString(keyFile)).isEqualTo(PRIVATE_KEY);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)))
                .isEqualTo("rw-------");
    }

    @Test
    void realEnvironmentVariablesWinOverTheSecret() throws Exception {
        answerSecret(aws, secretJson("https://hooks.slack.com"));
        Map<String, String> real = Map.of("GITHUB_WEBHOOK_SECRET", "from-the-real-env",
                "GITHUB_APP_PRIVATE_KEY_FILE", "/run/secrets/app.pem");

        Map<String, String> env = secrets().merge(real, ARN);

        assertThat(env).containsEntry("GITHUB_WEBHOOK_SECRET", "from-the-real-env")
                .containsEntry("GITHUB_APP_PRIVATE_KEY_FILE", "/run/secrets/app.pem")
                .containsEntry("GITHUB_TOKEN", GITHUB_TOKEN);
        try (var files = Files.list(keyDir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void secretThatIsNotJsonIsRefusedWithoutQuotingIt() throws Exception {
        answerSecret(aws, "github_token=" + GITHUB_TOKEN);

        assertThatThrownBy(() -> secrets().merge(Map.of(), ARN))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration:\n  - TIDEGATE_SECRETS_ARN: the secret is not "
                        + "valid JSON (content hidden)");
    }

    @Test
    void nonStringValuesAreRefusedByKeyName() throws Exception {
        answerSecret(aws, "{\"github_token\": 12345, \"api_token\": \"x\"}");

        assertThatThrownBy(() -> secrets().merge(Map.of(), ARN))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration:\n  - TIDEGATE_SECRETS_ARN: expected string "
                        + "values, not for [github_token]");
    }

    @Test
    void missingSecretIsAConfigurationErrorNamingTheVariable() {
        aws.stubFor(post(urlEqualTo("/")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/x-amz-json-1.1")
                .withBody("{\"__type\":\"ResourceNotFoundException\","
                        + "\"message\":\"Secrets Manager can't find the specified secret.\"}")));

        assertThatThrownBy(() -> secrets().merge(Map.of(), ARN))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("invalid configuration:\n  - TIDEGATE_SECRETS_ARN: could "
                        + "not read the secret: Secrets Manager can't find the specified secret.");
    }

    @Test
    void withoutSecretsArnTheEnvironmentIsUnchangedAndAwsUntouched() throws Exception {
        Map<String, String> env = Map.of("GITHUB_TOKEN", "ghp_x");

        assertThat(SecretsManagerEnvironment.resolve(env)).isSameAs(env);
        assertThat(aws.getAllServeEvents()).isEmpty();
    }

    @Test
    void regionComesFromTheArnWhenAwsRegionIsUnset() throws Exception {
        assertThat(SecretsManagerEnvironment.region(Map.of(), ARN))
                .isEqualTo(Region.AP_NORTHEAST_2);
        assertThat(SecretsManagerEnvironment.region(Map.of("AWS_REGION", "us-east-1"), ARN))
                .isEqualTo(Region.US_EAST_1);
        assertThatThrownBy(() -> SecretsManagerEnvironment.region(Map.of(), "my-secrets"))
                .hasMessageContaining(
                        "AWS_REGION: required when TIDEGATE_SECRETS_ARN is not a full ARN");
    }

    /**
     * The whole path a secret travels, with every log line captured by a plain layout (no
     * redaction): loaded, turned into Config, printed, used to post to Slack that fails.
     */
    @Test
    void secretsNeverReachTheLogsOrToString() throws Exception {
        WireMockServer slack = new WireMockServer(options().dynamicPort());
        slack.start();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender = capture(captured);
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        Level before = root.getLevel();
        root.setLevel(Level.DEBUG);
        try {
            answerSecret(aws, secretJson(slack.baseUrl()));
            slack.stubFor(post(urlEqualTo("/services/T0SECRET/B0SECRET/slackpathsecret"))
                    .willReturn(aResponse().withStatus(403).withBody("invalid_token")));
            Config config = Config.from(secrets().merge(Map.of(), ARN));
            String printed = config.toString() + config.slackSettings()
                    + config.slackSettings().destination("#general");
            new SlackNotifier(new OkHttpClient(), config.slackSettings(),
                    SlackNotifier.Timeouts.DEFAULT, new SimpleMeterRegistry())
                    .deliver(new Delivery(Delivery.Kind.SLACK, "#general", Event.APPLY_FAILED,
                            "production", "", "{\"text\":\"x\"}"), "k");
            LoggerFactory.getLogger("test").info("config: {}", config);

            String logs = captured.toString(StandardCharsets.UTF_8);
            assertThat(logs).contains("secrets from " + ARN + ": using [github_token, "
                    + "webhook_secret, api_token, slack_webhook_url, github_app_private_key], "
                    + "ignoring [infracost_api_key]");
            assertThat(logs).contains("failed: Slack answered 403: invalid_token");
            for (String secret : SECRET_VALUES) {
                assertThat(logs).doesNotContain(secret);
                assertThat(printed).doesNotContain(secret);
            }
        } finally {
            root.setLevel(before);
            root.detachAppender(appender);
            appender.stop();
            slack.stop();
        }
    }

    private static OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> capture(
            ByteArrayOutputStream out) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%level %logger %msg %mdc%n%ex");
        encoder.start();
        OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
                new OutputStreamAppender<>();
        appender.setContext(context);
        appender.setEncoder(encoder);
        appender.setOutputStream(out);
        appender.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(appender);
        return appender;
    }
}
