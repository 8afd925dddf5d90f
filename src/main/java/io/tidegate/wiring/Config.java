package io.tidegate.wiring;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.notify.SlackSettings;
import io.tidegate.policy.Durations;
import io.tidegate.secret.Secret;

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
        boolean dryRun,
        Notifications notifications,
        Aws aws,
        String atlantisUser,
        Duration gateGitHubBudget,
        Secret applyResultToken,
        Secret dashboardToken,
        Optional<String> replicaId) {

    public static final int DEFAULT_PORT = 4142;
    /** What a replica id may hold: it names inbox/outbox lease owners in the store. */
    static final java.util.regex.Pattern REPLICA_ID =
            java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Atlantis's own GitHub login: {@code @<login> apply} comments are Atlantis commands. */
    public static final String DEFAULT_ATLANTIS_USER = "atlantis";
    /**
     * How long GitHub may take during one gate call: {@code tidegate-hook} waits 20 s
     * ({@code TIDEGATE_TIMEOUT}), so Tidegate answers in time with its own text.
     */
    public static final Duration DEFAULT_GATE_GITHUB_BUDGET = Duration.ofSeconds(12);

    public Config {
        Objects.requireNonNull(server, "server == null");
        Objects.requireNonNull(policyPath, "policyPath == null");
        Objects.requireNonNull(github, "github == null");
        Objects.requireNonNull(storage, "storage == null");
        Objects.requireNonNull(slackWebhookUrl, "slackWebhookUrl == null");
        Objects.requireNonNull(notifications, "notifications == null");
        Objects.requireNonNull(aws, "aws == null");
        Objects.requireNonNull(atlantisUser, "atlantisUser == null");
        Objects.requireNonNull(gateGitHubBudget, "gateGitHubBudget == null");
        Objects.requireNonNull(applyResultToken, "applyResultToken == null");
        Objects.requireNonNull(dashboardToken, "dashboardToken == null");
        Objects.requireNonNull(replicaId, "replicaId == null");
    }

    /**
     * Gate budget, apply-result and dashboard tokens at their defaults, and no stable replica
     * id ({@code TIDEGATE_REPLICA_ID} unset: lease owners are random per start, so two servers
     * on one host never share one).
     */
    public Config(Server server, Path policyPath, GitHub github, Storage storage,
            Secret slackWebhookUrl, boolean dryRun, Notifications notifications, Aws aws,
            String atlantisUser) {
        this(server, policyPath, github, storage, slackWebhookUrl, dryRun, notifications, aws,
                atlantisUser, DEFAULT_GATE_GITHUB_BUDGET, Secret.ABSENT, Secret.ABSENT,
                Optional.empty());
    }

    /** Atlantis's bot user at its default ({@code TIDEGATE_ATLANTIS_USER} unset). */
    public Config(Server server, Path policyPath, GitHub github, Storage storage,
            Secret slackWebhookUrl, boolean dryRun, Notifications notifications, Aws aws) {
        this(server, policyPath, github, storage, slackWebhookUrl, dryRun, notifications, aws,
                DEFAULT_ATLANTIS_USER);
    }

    /** Without notification or AWS settings: Slack by default webhook only, no SNS/CloudWatch. */
    public Config(Server server, Path policyPath, GitHub github, Storage storage,
            Secret slackWebhookUrl, boolean dryRun) {
        this(server, policyPath, github, storage, slackWebhookUrl, dryRun, Notifications.NONE,
                new Aws(storage.awsRegion(), Optional.empty(), Optional.empty()));
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

    /**
     * Notifications beyond the default Slack webhook: per-channel webhooks keyed by
     * {@link SlackSettings#channelKey} ({@code SLACK_WEBHOOK_URL_INFRA_REVIEW} → INFRA_REVIEW), a
     * bot token for chat.postMessage, e-mail through SNS, deployment metrics to CloudWatch.
     */
    public record Notifications(
            Map<String, Secret> slackChannelWebhooks,
            Secret slackBotToken,
            URI slackApiUrl,
            Optional<String> snsTopicArn,
            Optional<String> cloudWatchNamespace) {
        public static final Notifications NONE = new Notifications(Map.of(), Secret.ABSENT,
                SlackSettings.SLACK_API, Optional.empty(), Optional.empty());

        public Notifications {
            slackChannelWebhooks = Map.copyOf(slackChannelWebhooks);
            Objects.requireNonNull(slackBotToken, "slackBotToken == null");
            Objects.requireNonNull(slackApiUrl, "slackApiUrl == null");
            Objects.requireNonNull(snsTopicArn, "snsTopicArn == null");
            Objects.requireNonNull(cloudWatchNamespace, "cloudWatchNamespace == null");
        }
    }

    /**
     * AWS beyond DynamoDB: the region ({@code AWS_REGION}), an endpoint override for every AWS
     * client ({@code TIDEGATE_AWS_ENDPOINT}, for tests and local stand-ins) and the Secrets
     * Manager secret the credentials were read from ({@code TIDEGATE_SECRETS_ARN}).
     */
    public record Aws(String region, Optional<URI> endpoint, Optional<String> secretsArn) {
        public Aws {
            Objects.requireNonNull(region, "region == null");
            Objects.requireNonNull(endpoint, "endpoint == null");
            Objects.requireNonNull(secretsArn, "secretsArn == null");
        }
    }

    public enum StoreKind { SQLITE, DYNAMODB }

    public enum LogFormat { TEXT, JSON }

    /** The levels logback knows for {@code TIDEGATE_LOG_LEVEL}. */
    public enum LogLevel { TRACE, DEBUG, INFO, WARN, ERROR, OFF }

    public boolean hasGitHubCredentials() {
        return !(github.auth() instanceof GitHubAuth.None);
    }

    /** How the Slack sender reaches each channel; the per-channel lookup lives there. */
    public SlackSettings slackSettings() {
        return new SlackSettings(slackWebhookUrl, notifications.slackChannelWebhooks(),
                notifications.slackBotToken(), notifications.slackApiUrl());
    }

    /** The secret values to mask in every log line. */
    public List<String> secretValues() {
        List<Secret> secrets = new ArrayList<>(List.of(server.apiToken(), github.webhookSecret(),
                slackWebhookUrl, notifications.slackBotToken(), applyResultToken,
                dashboardToken));
        secrets.addAll(notifications.slackChannelWebhooks().values());
        List<String> values = new ArrayList<>();
        for (Secret s : secrets) {
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
        // logging/LogSetup reads the level itself and would take an unknown one as INFO: check it.
        r.choice("TIDEGATE_LOG_LEVEL", LogLevel.class, LogLevel.INFO);
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
        Notifications notifications = notifications(r, env, storage.awsRegion());
        Aws aws = new Aws(storage.awsRegion(),
                r.optional(SecretsManagerEnvironment.AWS_ENDPOINT)
                        .map(v -> r.httpUrl(SecretsManagerEnvironment.AWS_ENDPOINT, v)),
                r.optional(SecretsManagerEnvironment.SECRETS_ARN));
        // People write the bot as they mention it: "@atlantis" is the login "atlantis".
        String atlantisUser = r.string("TIDEGATE_ATLANTIS_USER", DEFAULT_ATLANTIS_USER)
                .replaceFirst("^@", "");
        Duration gateBudget = r.duration("TIDEGATE_GATE_GITHUB_BUDGET",
                DEFAULT_GATE_GITHUB_BUDGET);
        if (gateBudget.isZero() || gateBudget.isNegative()
                || gateBudget.compareTo(Duration.ofSeconds(60)) > 0) {
            r.problem("TIDEGATE_GATE_GITHUB_BUDGET: expected between 1s and 60s, and below the"
                    + " hook's TIDEGATE_TIMEOUT, got " + gateBudget.toSeconds() + "s");
        }
        Secret applyResultToken = r.secret("TIDEGATE_APPLY_RESULT_TOKEN");
        if (applyResultToken.isPresent() && server.apiToken().isPresent()
                && applyResultToken.value().equals(server.apiToken().value())) {
            r.problem("TIDEGATE_APPLY_RESULT_TOKEN: must differ from TIDEGATE_API_TOKEN (it is "
                    + "sent to every http webhook Atlantis has; value hidden)");
        }
        Secret dashboardToken = r.secret("TIDEGATE_DASHBOARD_TOKEN"); // [web]
        Optional<String> replicaId = r.optional("TIDEGATE_REPLICA_ID");
        if (replicaId.isPresent() && !REPLICA_ID.matcher(replicaId.get()).matches()) {
            r.problem("TIDEGATE_REPLICA_ID: expected 1-63 letters, digits, '.', '_' or '-' "
                    + "starting with a letter or digit");
        }
        r.throwIfAny();
        // With no credential there is nothing to write with: dry run is the only honest mode.
        boolean noCredentials = github.auth() instanceof GitHubAuth.None;
        return new Config(server, policy, github, storage, slack, dryRun || noCredentials,
                notifications, aws, atlantisUser, gateBudget, applyResultToken,
                dashboardToken, replicaId);
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

    private static Notifications notifications(EnvReader r, Map<String, String> env,
            String region) {
        Secret bot = r.secret("SLACK_BOT_TOKEN");
        // Slack bot tokens start xoxb- (bot) or xoxp- (user); anything else is a pasting mistake.
        if (bot.isPresent() && !bot.value().startsWith("xox")) {
            r.problem("SLACK_BOT_TOKEN: expected a Slack token starting with xoxb- (value hidden)");
        }
        Optional<String> topic = r.optional("SNS_TOPIC_ARN");
        if (topic.isPresent() && !topic.get().matches(
                "arn:aws[a-z-]*:sns:[a-z0-9-]+:\\d{12}:[A-Za-z0-9_-]{1,256}(\\.fifo)?")) {
            r.problem("SNS_TOPIC_ARN: expected an SNS topic ARN such as "
                    + "arn:aws:sns:ap-northeast-2:123456789012:tidegate, got '" + topic.get()
                    + "'");
        }
        Optional<String> namespace = r.optional("TIDEGATE_CLOUDWATCH_NAMESPACE");
        namespace.ifPresent(n -> checkNamespace(r, n));
        if ((topic.isPresent() || namespace.isPresent()) && region.isEmpty()) {
            r.problem("AWS_REGION: required when SNS_TOPIC_ARN or TIDEGATE_CLOUDWATCH_NAMESPACE "
                    + "is set");
        }
        return new Notifications(channelWebhooks(r, env), bot,
                r.httpUrl("SLACK_API_URL", SlackSettings.SLACK_API.toString()), topic, namespace);
    }

    /** Every SLACK_WEBHOOK_URL_&lt;CHANNEL&gt;, keyed by CHANNEL. */
    private static Map<String, Secret> channelWebhooks(EnvReader r, Map<String, String> env) {
        String prefix = "SLACK_WEBHOOK_URL_";
        Map<String, Secret> out = new java.util.TreeMap<>();
        for (String name : new java.util.TreeSet<>(env.keySet())) {
            Secret url = name.startsWith(prefix) ? r.secret(name) : Secret.ABSENT;
            if (!url.isPresent()) {
                continue;
            }
            if (!url.value().startsWith("https://") && !url.value().startsWith("http://")) {
                r.problem(name + ": expected an http(s) URL (value hidden)");
            }
            out.put(name.substring(prefix.length()), url);
        }
        return out;
    }

    /** CloudWatch's rules: 1-255 of A-Za-z0-9 . - _ / # : and space, not starting "AWS/". */
    private static void checkNamespace(EnvReader r, String namespace) {
        if (namespace.length() > 255 || !namespace.matches("[A-Za-z0-9._/#: -]+")
                || namespace.startsWith("AWS/")) {
            r.problem("TIDEGATE_CLOUDWATCH_NAMESPACE: expected up to 255 of A-Z a-z 0-9 . - _ / # :"
                    + " and space, not starting with AWS/, got '" + namespace + "'");
        }
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
