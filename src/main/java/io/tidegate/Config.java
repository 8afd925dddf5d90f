package io.tidegate;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.policy.Durations;

/**
 * Every setting Tidegate reads, parsed once from the environment (12-factor). Built only by
 * {@link #from(Map)}, which reports every bad setting at once. Secrets are {@link Secret}s, so
 * printing a config never prints a credential.
 */
public record Config(
        Server server,
        Path policyPath,
        GitHub github,
        Storage storage,
        Secret slackWebhookUrl,
        boolean dryRun) {

    public static final int DEFAULT_PORT = 4142;

    public Config {
        Objects.requireNonNull(server, "server == null");
        Objects.requireNonNull(policyPath, "policyPath == null");
        Objects.requireNonNull(github, "github == null");
        Objects.requireNonNull(storage, "storage == null");
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl == null");
    }

    /** The HTTP side: where to listen and who may call the API. */
    public record Server(
            String bindAddress,
            int port,
            Duration shutdownGrace,
            LogFormat logFormat,
            Secret apiToken,
            boolean publicRead) {}

    /** How Tidegate reaches GitHub and how it authenticates GitHub's webhooks. */
    public record GitHub(GitHubAuth auth, URI apiUrl, Secret webhookSecret) {}

    /** Where state lives: a SQLite file in {@code dataDir}, or DynamoDB tables. */
    public record Storage(
            StoreKind kind,
            Path dataDir,
            String awsRegion,
            Optional<URI> dynamoDbEndpoint,
            boolean createTables,
            String tablePrefix) {}

    /** A GitHub credential: a personal token, a GitHub App, or none (dry run). */
    public sealed interface GitHubAuth {
        record None() implements GitHubAuth {}

        record Token(Secret token) implements GitHubAuth {}

        record App(long appId, Path privateKeyFile, Optional<Long> installationId)
                implements GitHubAuth {}
    }

    public enum StoreKind { SQLITE, DYNAMODB }

    public enum LogFormat { TEXT, JSON }

    public boolean hasGitHubCredentials() {
        return !(github.auth() instanceof GitHubAuth.None);
    }

    /** The secret values to mask in every log line. */
    public List<String> secretValues() {
        List<String> values = new ArrayList<>();
        for (Secret s : List.of(server.apiToken(), github.webhookSecret(), slackWebhookUrl)) {
            if (s.isPresent()) {
                values.add(s.value());
            }
        }
        if (github.auth() instanceof GitHubAuth.Token token && token.token().isPresent()) {
            values.add(token.token().value());
        }
        return values;
    }

    public static Config from(Map<String, String> env) throws ConfigException {
        EnvReader r = new EnvReader(env);
        Server server = new Server(
                r.string("TIDEGATE_BIND_ADDRESS", "0.0.0.0"),
                r.port("TIDEGATE_PORT", DEFAULT_PORT),
                r.duration("TIDEGATE_SHUTDOWN_GRACE", Duration.ofSeconds(10)),
                r.choice("TIDEGATE_LOG_FORMAT", LogFormat.class, LogFormat.TEXT),
                r.secret("TIDEGATE_API_TOKEN"),
                r.bool("TIDEGATE_PUBLIC_READ", false));
        Path policy = r.path("TIDEGATE_POLICY", "policies/policy.yaml");
        GitHub github = new GitHub(
                gitHubAuth(r),
                r.httpUrl("GITHUB_API_URL", "https://api.github.com"),
                r.secret("GITHUB_WEBHOOK_SECRET"));
        Storage storage = storage(r);
        Secret slack = r.secret("SLACK_WEBHOOK_URL");
        if (slack.isPresent() && !slack.value().startsWith("https://")
                && !slack.value().startsWith("http://")) {
            r.problem("SLACK_WEBHOOK_URL: expected an http(s) URL (value hidden)");
        }
        boolean dryRun = r.bool("TIDEGATE_DRY_RUN", false);
        r.throwIfAny();
        // With no credential there is nothing to write with: dry run is the only honest mode.
        boolean noCredentials = github.auth() instanceof GitHubAuth.None;
        return new Config(server, policy, github, storage, slack, dryRun || noCredentials);
    }

    private static GitHubAuth gitHubAuth(EnvReader r) {
        Secret token = r.secret("GITHUB_TOKEN");
        Optional<String> appId = r.optional("GITHUB_APP_ID");
        Optional<String> keyFile = r.optional("GITHUB_APP_PRIVATE_KEY_FILE");
        Optional<String> installation = r.optional("GITHUB_APP_INSTALLATION_ID");
        if (token.isPresent() && appId.isPresent()) {
            r.problem("GITHUB_TOKEN and GITHUB_APP_ID are both set: choose one way to authenticate");
            return new GitHubAuth.None();
        }
        if (token.isPresent()) {
            return new GitHubAuth.Token(token);
        }
        if (appId.isEmpty()) {
            if (keyFile.isPresent() || installation.isPresent()) {
                r.problem("GITHUB_APP_ID: required when GITHUB_APP_PRIVATE_KEY_FILE or "
                        + "GITHUB_APP_INSTALLATION_ID is set");
            }
            return new GitHubAuth.None();
        }
        long id = r.positiveLong("GITHUB_APP_ID", appId.get());
        if (keyFile.isEmpty()) {
            r.problem("GITHUB_APP_PRIVATE_KEY_FILE: required with GITHUB_APP_ID");
            return new GitHubAuth.None();
        }
        Optional<Long> installationId = installation
                .map(v -> r.positiveLong("GITHUB_APP_INSTALLATION_ID", v));
        return new GitHubAuth.App(id, Path.of(keyFile.get()), installationId);
    }

    private static Storage storage(EnvReader r) {
        StoreKind kind = r.choice("TIDEGATE_STORE", StoreKind.class, StoreKind.SQLITE);
        String region = r.string("AWS_REGION", "");
        if (kind == StoreKind.DYNAMODB && region.isEmpty()) {
            r.problem("AWS_REGION: required when TIDEGATE_STORE=dynamodb");
        }
        Optional<URI> endpoint = r.optional("TIDEGATE_DYNAMODB_ENDPOINT")
                .map(v -> r.httpUrl("TIDEGATE_DYNAMODB_ENDPOINT", v));
        return new Storage(
                kind,
                r.path("TIDEGATE_DATA_DIR", "./data"),
                region,
                endpoint,
                r.bool("TIDEGATE_DYNAMODB_CREATE_TABLES", false),
                r.string("TIDEGATE_DYNAMODB_TABLE_PREFIX", "tidegate-"));
    }

    /** Reads variables and collects every problem instead of stopping at the first. */
    private static final class EnvReader {
        private final Map<String, String> env;
        private final List<String> problems = new ArrayList<>();

        EnvReader(Map<String, String> env) {
            this.env = Objects.requireNonNull(env, "env == null");
        }

        void problem(String message) {
            problems.add(message);
        }

        void throwIfAny() throws ConfigException {
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
        }

        Optional<String> optional(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
        }

        String string(String name, String fallback) {
            return optional(name).orElse(fallback);
        }

        Secret secret(String name) {
            String v = env.get(name);
            return v == null || v.isBlank() ? Secret.ABSENT : new Secret(v.trim());
        }

        Path path(String name, String fallback) {
            String v = string(name, fallback);
            try {
                return Path.of(v);
            } catch (RuntimeException e) {
                problem(name + ": not a valid path: '" + v + "'");
                return Path.of(fallback);
            }
        }

        int port(String name, int fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            try {
                int port = Integer.parseInt(v.get());
                if (port >= 0 && port <= 65535) {
                    return port;
                }
            } catch (NumberFormatException e) {
                // reported below with the other out-of-range values
            }
            problem(name + ": expected a port number 0-65535, got '" + v.get() + "'");
            return fallback;
        }

        long positiveLong(String name, String value) {
            try {
                long n = Long.parseLong(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problem(name + ": expected a positive whole number, got '" + value + "'");
            return 0;
        }

        boolean bool(String name, boolean fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            switch (v.get().toLowerCase(Locale.ROOT)) {
                case "true", "1", "yes", "on":
                    return true;
                case "false", "0", "no", "off":
                    return false;
                default:
                    problem(name + ": expected true or false, got '" + v.get() + "'");
                    return fallback;
            }
        }

        Duration duration(String name, Duration fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            Optional<Duration> parsed = Durations.parse(v.get());
            if (parsed.isEmpty()) {
                problem(name + ": expected a duration such as 30s, 10m or 2h, got '"
                        + v.get() + "'");
                return fallback;
            }
            return parsed.get();
        }

        <E extends Enum<E>> E choice(String name, Class<E> type, E fallback) {
            Optional<String> v = optional(name);
            if (v.isEmpty()) {
                return fallback;
            }
            for (E e : type.getEnumConstants()) {
                if (e.name().equalsIgnoreCase(v.get())) {
                    return e;
                }
            }
            List<String> allowed = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                allowed.add(e.name().toLowerCase(Locale.ROOT));
            }
            problem(name + ": expected one of " + String.join(", ", allowed)
                    + ", got '" + v.get() + "'");
            return fallback;
        }

        URI httpUrl(String name, String value) {
            String v = optional(name).orElse(value);
            try {
                URI uri = URI.create(v);
                if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                        && uri.getHost() != null) {
                    return uri;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            problem(name + ": expected an http(s) URL, got '" + v + "'");
            return URI.create("http://invalid.invalid");
        }
    }
}
