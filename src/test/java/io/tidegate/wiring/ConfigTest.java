package io.tidegate.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ConfigTest {

    @Test
    void defaultsApplyWhenNothingIsSet() throws Exception {
        Config c = Config.from(Map.of());

        assertThat(c.server().port()).isEqualTo(4142);
        assertThat(c.server().bindAddress()).isEqualTo("0.0.0.0");
        assertThat(c.server().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.storage().kind()).isEqualTo(Config.StoreKind.SQLITE);
        assertThat(c.storage().dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.policyPath()).isEqualTo(Path.of("policies/policy.yaml"));
        assertThat(c.github().apiUrl()).isEqualTo(URI.create("https://api.github.com"));
        assertThat(c.github().webhookSecret().isPresent()).isFalse();
    }

    @Test
    void atlantisUserIsAtlantisUnlessSetWithOrWithoutTheAt() throws Exception {
        assertThat(Config.from(Map.of()).atlantisUser()).isEqualTo("atlantis");
        assertThat(Config.from(Map.of("TIDEGATE_ATLANTIS_USER", "acme-atlantis")).atlantisUser())
                .isEqualTo("acme-atlantis");
        assertThat(Config.from(Map.of("TIDEGATE_ATLANTIS_USER", "@acme-atlantis"))
                .atlantisUser()).isEqualTo("acme-atlantis");
    }

    @Test
    void replicaIdIsAbsentUnlessSetAndMustBeAPlainName() throws Exception {
        assertThat(Config.from(Map.of()).replicaId()).isEmpty();
        assertThat(Config.from(Map.of("TIDEGATE_REPLICA_ID", "tidegate-0.prod")).replicaId())
                .contains("tidegate-0.prod");
        for (String bad : List.of("-a", "a b", "a/b", "x".repeat(64))) {
            ConfigException e = catchThrowableOfType(ConfigException.class,
                    () -> Config.from(Map.of("TIDEGATE_REPLICA_ID", bad)));
            assertThat(e.problems()).as(bad).containsExactly("TIDEGATE_REPLICA_ID: expected "
                    + "1-63 letters, digits, '.', '_' or '-' starting with a letter or digit");
        }
    }

    @Test
    void noGitHubCredentialsForcesDryRun() throws Exception {
        Config c = Config.from(Map.of("TIDEGATE_DRY_RUN", "false"));

        assertThat(c.hasGitHubCredentials()).isFalse();
        assertThat(c.dryRun()).isTrue();
    }

    @Test
    void tokenCredentialsRunForRealUnlessDryRunIsAsked() throws Exception {
        assertThat(Config.from(Map.of("GITHUB_TOKEN", "ghp_x")).dryRun()).isFalse();
        assertThat(Config.from(Map.of("GITHUB_TOKEN", "ghp_x", "TIDEGATE_DRY_RUN", "yes")).dryRun())
                .isTrue();
    }

    @Test
    void gitHubAppNeedsItsKeyFile() throws Exception {
        Config c = Config.from(Map.of("GITHUB_APP_ID", "123",
                "GITHUB_APP_PRIVATE_KEY_FILE", "/keys/app.pem",
                "GITHUB_APP_INSTALLATION_ID", "77"));

        assertThat(c.github().auth()).isEqualTo(new Config.GitHubAuth.App(123,
                Path.of("/keys/app.pem"), java.util.Optional.of(77L)));
    }

    @Test
    void everyBadSettingIsReportedAtOnceNamingTheVariable() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.from(Map.of(
                "TIDEGATE_PORT", "70000",
                "TIDEGATE_STORE", "postgres",
                "TIDEGATE_DRY_RUN", "maybe",
                "GITHUB_APP_ID", "abc",
                "GITHUB_API_URL", "ftp://example.com",
                "TIDEGATE_SHUTDOWN_GRACE", "soon")));

        assertThat(e.problems()).containsExactly(
                "TIDEGATE_PORT: expected a port number 0-65535, got '70000'",
                "TIDEGATE_SHUTDOWN_GRACE: expected a duration such as 30s, 10m or 2h, got 'soon'",
                "GITHUB_APP_ID: expected a positive whole number, got 'abc'",
                "GITHUB_APP_PRIVATE_KEY_FILE: required with GITHUB_APP_ID",
                "GITHUB_API_URL: expected an http(s) URL, got 'ftp://example.com'",
                "TIDEGATE_STORE: expected one of sqlite, dynamodb, got 'postgres'",
                "TIDEGATE_DRY_RUN: expected true or false, got 'maybe'");
        assertThat(e.getMessage()).startsWith("invalid configuration:\n  - TIDEGATE_PORT");
    }

    @Test
    void unknownLogLevelIsABadSettingAndKnownOnesInAnyCaseAreNot() throws Exception {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Config.from(Map.of("TIDEGATE_LOG_LEVEL", "verbose")));

        assertThat(e.problems()).containsExactly("TIDEGATE_LOG_LEVEL: expected one of trace, "
                + "debug, info, warn, error, off, got 'verbose'");
        assertThat(Config.from(Map.of("TIDEGATE_LOG_LEVEL", "warn")).server().port())
                .isEqualTo(4142);
    }

    @Test
    void dynamoDbStoreRequiresARegion() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Config.from(Map.of("TIDEGATE_STORE", "dynamodb")));

        assertThat(e.problems()).containsExactly(
                "AWS_REGION: required when TIDEGATE_STORE=dynamodb");
    }

    @Test
    void tokenAndAppTogetherAreAmbiguous() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> Config.from(Map.of(
                "GITHUB_TOKEN", "ghp_abc", "GITHUB_APP_ID", "1")));

        assertThat(e.problems()).containsExactly(
                "GITHUB_TOKEN and GITHUB_APP_ID are both set: choose one way to authenticate");
    }

    @Test
    void secretsNeverAppearWhenTheConfigIsPrinted() throws Exception {
        Config c = Config.from(Map.of(
                "GITHUB_TOKEN", "ghp_supersecrettoken1234567890",
                "GITHUB_WEBHOOK_SECRET", "hook-secret-value",
                "TIDEGATE_API_TOKEN", "api-token-value",
                "SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0/B0/xyz"));

        String printed = c.toString();

        assertThat(printed).doesNotContain("ghp_supersecrettoken1234567890", "hook-secret-value",
                "api-token-value", "hooks.slack.com");
        assertThat(printed).contains("****");
        assertThat(c.secretValues()).containsExactlyInAnyOrder("ghp_supersecrettoken1234567890",
                "hook-secret-value", "api-token-value", "https://hooks.slack.com/services/T0/B0/xyz");
    }

    @Test
    void badSlackUrlIsReportedWithoutEchoingIt() {
        ConfigException e = catchThrowableOfType(ConfigException.class,
                () -> Config.from(Map.of("SLACK_WEBHOOK_URL", "not-a-url-secret")));

        assertThat(e.problems()).containsExactly(
                "SLACK_WEBHOOK_URL: expected an http(s) URL (value hidden)");
        assertThat(e.getMessage()).doesNotContain("not-a-url-secret");
    }
}
