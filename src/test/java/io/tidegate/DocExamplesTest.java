package io.tidegate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 10: the examples of the READMEs do not drift from what the program prints.
 * Every fenced {@code sh} block right after a {@code <!-- runnable -->} line is run: each
 * {@code $ command} with {@code sh} in the checkout, {@code tidegate} being the real
 * {@code bin/tidegate} on the {@code PATH}, and its output (stdout and stderr, as a terminal
 * shows them) must be exactly the lines under it, up to the next {@code $}.
 */
@Tag("slow")
class DocExamplesTest {
    static final List<String> READMES = List.of("README.md", "policies/README.md",
            "atlantis/README.md");

    @TempDir
    Path dir;

    record Example(String file, String command, List<String> output) {}

    @Test
    void everyRunnableExampleOfTheReadmesPrintsWhatItShows() throws Exception {
        List<Example> examples = new ArrayList<>();
        for (String readme : READMES) {
            examples.addAll(examples(readme, Files.readString(Path.of(readme))));
        }
        assertThat(examples).as("runnable examples in the READMEs").hasSizeGreaterThan(2);
        Path bin = Launcher.inCheckoutLayout(dir.resolve("launcher")).getParent();
        for (Example e : examples) {
            assertThat(run(bin, e.command())).as(e.file() + ": $ " + e.command())
                    .isEqualTo(e.output());
        }
    }

    /** The {@code $} commands of the runnable blocks of one README, with their output. */
    static List<Example> examples(String file, String markdown) {
        List<Example> out = new ArrayList<>();
        List<String> lines = markdown.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (!lines.get(i).strip().equals("<!-- runnable -->")
                    || !lines.get(i + 1).equals("```sh")) {
                continue;
            }
            Example current = null;
            for (int j = i + 2; j < lines.size() && !lines.get(j).equals("```"); j++) {
                String line = lines.get(j);
                if (line.startsWith("$ ")) {
                    current = new Example(file, line.substring(2), new ArrayList<>());
                    out.add(current);
                } else if (current != null) {
                    current.output().add(line);
                }
            }
        }
        return out;
    }

    private List<String> run(Path bin, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
        pb.environment().keySet().removeIf(k -> k.startsWith("TIDEGATE_")
                || k.startsWith("GITHUB_") || k.startsWith("SLACK_") || k.startsWith("AWS_"));
        pb.environment().put("PATH", bin + java.io.File.pathSeparator + System.getenv("PATH"));
        pb.environment().put("TIDEGATE_DATA_DIR", dir.resolve("data").toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("$ " + command + " did not finish within 60 s");
        }
        return out.lines().toList();
    }
}
