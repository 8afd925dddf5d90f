package io.tidegate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tidegate.http.Readiness;

/** Ready when the policy file exists and is a YAML mapping. */
final class PolicyFileReadiness implements Readiness {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private final Path file;

    PolicyFileReadiness(Path file) {
        this.file = file;
    }

    @Override
    public Check check() {
        if (!Files.isRegularFile(file)) {
            return Check.failing("policy", "policy file " + file + " does not exist");
        }
        try {
            JsonNode root = YAML.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                return Check.failing("policy", "policy file " + file + " is not a YAML mapping");
            }
            return Check.ready("policy", "policy file " + file + " loaded");
        } catch (IOException e) {
            return Check.failing("policy", "policy file " + file + " is not valid YAML: "
                    + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
