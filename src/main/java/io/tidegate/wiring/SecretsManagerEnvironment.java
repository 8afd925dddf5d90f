package io.tidegate.wiring;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidegate.logging.SecretRedactor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * Fills in credentials from an AWS Secrets Manager secret ({@code TIDEGATE_SECRETS_ARN}) before
 * {@link Config#from} reads the environment. The secret is a JSON object in the layout of the
 * Atlantis-on-ECS deployment (seed 003):
 *
 * <pre>
 * {"github_token": "ghp_...", "webhook_secret": "...", "api_token": "...",
 *  "slack_webhook_url": "https://hooks.slack.com/...", "github_app_private_key": "-----BEGIN..."}
 * </pre>
 *
 * Each key becomes the variable {@link #VARIABLES} names; a variable already set in the real
 * environment wins. The App private key is written to a file readable only by this user (0600)
 * whose path becomes {@code GITHUB_APP_PRIVATE_KEY_FILE}. Other keys (infracost_api_key,
 * openai_api_key) are ignored. Values are registered with {@link SecretRedactor} and never
 * logged; only key names are.
 */
public final class SecretsManagerEnvironment {
    private static final Logger log = LoggerFactory.getLogger(SecretsManagerEnvironment.class);

    public static final String SECRETS_ARN = "TIDEGATE_SECRETS_ARN";
    public static final String AWS_ENDPOINT = "TIDEGATE_AWS_ENDPOINT";
    static final String PRIVATE_KEY = "github_app_private_key";
    static final String PRIVATE_KEY_FILE = "GITHUB_APP_PRIVATE_KEY_FILE";

    /** Secret key → environment variable. */
    public static final Map<String, String> VARIABLES = orderedMap(
            "github_token", "GITHUB_TOKEN",
            "webhook_secret", "GITHUB_WEBHOOK_SECRET",
            "api_token", "TIDEGATE_API_TOKEN",
            "slack_webhook_url", "SLACK_WEBHOOK_URL");

    private final SecretsManagerClient client;
    private final Path keyDir;
    private final ObjectMapper json = new ObjectMapper();

    /** {@code keyDir} is where the private key file goes (the system temp dir in production). */
    public SecretsManagerEnvironment(SecretsManagerClient client, Path keyDir) {
        this.client = Objects.requireNonNull(client, "client == null");
        this.keyDir = Objects.requireNonNull(keyDir, "keyDir == null");
    }

    /**
     * The process environment plus the secret's entries when {@code TIDEGATE_SECRETS_ARN} is set;
     * the environment unchanged otherwise. Builds its own short-lived client with the default
     * AWS credentials chain (task role on ECS).
     */
    public static Map<String, String> resolve(Map<String, String> env) throws ConfigException {
        String arn = env.getOrDefault(SECRETS_ARN, "").trim();
        if (arn.isEmpty()) {
            return env;
        }
        Region region = region(env, arn);
        Optional<URI> endpoint = endpoint(env);
        try (DefaultCredentialsProvider credentials = DefaultCredentialsProvider.builder().build();
                AwsClients aws = new AwsClients(region, endpoint, credentials,
                        Duration.ofSeconds(10))) {
            Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
            return new SecretsManagerEnvironment(aws.secretsManager(), tmp).merge(env, arn);
        }
    }

    /** Reads the secret and returns {@code env} with the missing variables added from it. */
    public Map<String, String> merge(Map<String, String> env, String secretId)
            throws ConfigException {
        Map<String, String> secret = read(secretId);
        secret.values().forEach(SecretRedactor::register);
        Map<String, String> out = new HashMap<>(env);
        List<String> used = new java.util.ArrayList<>();
        for (Map.Entry<String, String> e : VARIABLES.entrySet()) {
            String value = secret.get(e.getKey());
            // The real environment wins: an operator can override one credential without
            // editing the shared secret.
            if (value != null && isBlank(env.get(e.getValue()))) {
                out.put(e.getValue(), value);
                used.add(e.getKey());
            }
        }
        String key = secret.get(PRIVATE_KEY);
        if (key != null && isBlank(env.get(PRIVATE_KEY_FILE))) {
            out.put(PRIVATE_KEY_FILE, writeKey(key).toString());
            used.add(PRIVATE_KEY);
        }
        TreeSet<String> ignored = new TreeSet<>(secret.keySet());
        ignored.removeAll(VARIABLES.keySet());
        ignored.remove(PRIVATE_KEY);
        log.info("secrets from {}: using {}{}", secretId, used,
                ignored.isEmpty() ? "" : ", ignoring " + ignored);
        return Map.copyOf(out);
    }

    private Map<String, String> read(String secretId) throws ConfigException {
        GetSecretValueResponse response;
        try {
            response = client.getSecretValue(r -> r.secretId(secretId));
        } catch (SdkException e) {
            throw problem("could not read the secret: " + e.getMessage());
        }
        if (response.secretString() == null) {
            throw problem("the secret has no SecretString (binary secrets are not supported)");
        }
        return parse(response.secretString());
    }

    /** The secret's string values by key. Parse errors are not echoed: they quote the secret. */
    private Map<String, String> parse(String text) throws ConfigException {
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (IOException e) {
            throw problem("the secret is not valid JSON (content hidden)");
        }
        if (root == null || !root.isObject()) {
            throw problem("the secret is not a JSON object (content hidden)");
        }
        Map<String, String> values = new LinkedHashMap<>();
        List<String> notText = new java.util.ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isTextual()) {
                values.put(f.getKey(), f.getValue().asText());
            } else if (!f.getValue().isNull()) {
                notText.add(f.getKey());
            }
        }
        if (!notText.isEmpty()) {
            throw problem("expected string values, not for " + notText);
        }
        return values;
    }

    /** Writes the PEM where only this user can read it; removed when the JVM exits. */
    private Path writeKey(String pem) throws ConfigException {
        try {
            Files.createDirectories(keyDir);
            Path file;
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                file = Files.createTempFile(keyDir, "tidegate-github-app-", ".pem",
                        PosixFilePermissions.asFileAttribute(
                                PosixFilePermissions.fromString("rw-------")));
            } else {
                file = Files.createTempFile(keyDir, "tidegate-github-app-", ".pem");
            }
            file.toFile().deleteOnExit();
            Files.writeString(file, pem, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw problem("could not write the GitHub App private key to " + keyDir + ": "
                    + e.getClass().getSimpleName());
        }
    }

    /** AWS_REGION, else the region inside the ARN (arn:aws:secretsmanager:REGION:...). */
    static Region region(Map<String, String> env, String arn) throws ConfigException {
        String region = env.getOrDefault("AWS_REGION", "").trim();
        if (!region.isEmpty()) {
            return Region.of(region);
        }
        String[] parts = arn.split(":");
        if (parts.length > 4 && parts[0].equals("arn") && !parts[3].isEmpty()) {
            return Region.of(parts[3]);
        }
        throw new ConfigException(List.of(
                "AWS_REGION: required when TIDEGATE_SECRETS_ARN is not a full ARN"));
    }

    static Optional<URI> endpoint(Map<String, String> env) throws ConfigException {
        String v = env.getOrDefault(AWS_ENDPOINT, "").trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(v);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null
                || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
            throw new ConfigException(List.of(AWS_ENDPOINT + ": expected an http(s) URL, got '"
                    + v + "'"));
        }
        return Optional.of(uri);
    }

    private static ConfigException problem(String message) {
        return new ConfigException(List.of(SECRETS_ARN + ": " + message));
    }

    private static boolean isBlank(String v) {
        return v == null || v.isBlank();
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
