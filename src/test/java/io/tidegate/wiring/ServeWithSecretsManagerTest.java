package io.tidegate.wiring;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tidegate serve} as a real process with {@code TIDEGATE_SECRETS_ARN}: the credentials
 * come from Secrets Manager (WireMock), take effect, and none of them is printed.
 */
@Tag("slow")
class ServeWithSecretsManagerTest {
    @TempDir
    Path dir;

    @Test
    void serveReadsCredentialsFromSecretsManagerAndNeverPrintsThem() throws Exception {
        WireMockServer aws = new WireMockServer(options().dynamicPort());
        aws.start();
        Process process = null;
        try {
            SecretsManagerEnvironmentTest.answerSecret(aws,
                    SecretsManagerEnvironmentTest.secretJson("https://hooks.slack.com"));
            Files.writeString(dir.resolve("policy.yaml"), "version: 1\n");
            process = start(aws.baseUrl());
            List<String> lines = readUntilListening(process);
            String output = String.join("\n", lines);
            System.out.println(output);

            assertThat(output).contains("tidegate listening on 127.0.0.1:");
            aws.verify(1, postRequestedFor(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("secretsmanager.GetSecretValue")));
            // The secret's token, webhook secret and API token are in effect...
            assertThat(output).doesNotContain("no GitHub credentials",
                    "GITHUB_WEBHOOK_SECRET is not set", "TIDEGATE_API_TOKEN is not set");
            // ...and not one of them is printed.
            for (String secret : SecretsManagerEnvironmentTest.SECRET_VALUES) {
                assertThat(output).doesNotContain(secret);
            }
        } finally {
            if (process != null) {
                process.destroy();
                process.waitFor(20, TimeUnit.SECONDS);
            }
            aws.stop();
        }
    }

    private Process start(String awsEndpoint) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"),
                "io.tidegate.Main", "serve");
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("GITHUB_") || k.startsWith("SLACK_")
                || k.startsWith("TIDEGATE_") || k.startsWith("AWS_"));
        env.put("TIDEGATE_PORT", "0");
        env.put("TIDEGATE_BIND_ADDRESS", "127.0.0.1");
        env.put("TIDEGATE_DATA_DIR", dir.resolve("data").toString());
        env.put("TIDEGATE_POLICY", dir.resolve("policy.yaml").toString());
        env.put("TIDEGATE_SECRETS_ARN", SecretsManagerEnvironmentTest.ARN);
        env.put("TIDEGATE_AWS_ENDPOINT", awsEndpoint);
        env.put("AWS_ACCESS_KEY_ID", "AKIDTEST");
        env.put("AWS_SECRET_ACCESS_KEY", "test-secret");
        env.put("TIDEGATE_LOG_LEVEL", "DEBUG");
        pb.redirectErrorStream(true);
        return pb.start();
    }

    /** Output up to the "listening" line, or everything if the process ends first. */
    private static List<String> readUntilListening(Process process) throws Exception {
        List<String> lines = new ArrayList<>();
        BufferedReader out = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = out.readLine()) != null) {
            lines.add(line);
            if (line.contains("tidegate listening on")) {
                break;
            }
        }
        return lines;
    }
}
