package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import io.tidegate.Fixtures;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Damaged deliveries (truncated, bytes flipped) may only ever yield a record or a
 * {@link MalformedWebhookException}: any other exception would be a 500 at the webhook route.
 */
@Tag("slow")
class WebhookParserRobustnessTest {
    private static final long SEED = 20261122L;
    private static final int MUTANTS_PER_FIXTURE = 300;
    private final WebhookParser parser = new WebhookParser();

    @Test
    void truncatedCopiesOfEveryFixtureAreMalformed() throws Exception {
        int checked = 0;
        for (Path fixture : fixtures()) {
            byte[] body = Files.readAllBytes(fixture);
            String event = eventOf(fixture);
            // Every prefix would be 300k parses; every 7th length plus the last 64 covers the
            // interesting cuts (mid-token, mid-string, just before the closing brace).
            for (int len = 0; len < body.length; len++) {
                if (len % 7 != 0 && len < body.length - 64) {
                    continue;
                }
                byte[] cut = Arrays.copyOf(body, len);
                if (new String(body, len, body.length - len, StandardCharsets.UTF_8).isBlank()) {
                    continue; // only the trailing newline was cut: still the whole payload
                }
                assertOnlyMalformed(event, cut, fixture + " cut at " + len, true);
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(1000);
    }

    @Test
    void randomByteMutationsNeverThrowAnythingButMalformed() throws Exception {
        Random random = new Random(SEED);
        int parsed = 0;
        int malformed = 0;
        for (Path fixture : fixtures()) {
            byte[] body = Files.readAllBytes(fixture);
            for (int i = 0; i < MUTANTS_PER_FIXTURE; i++) {
                byte[] mutant = mutate(body, random);
                String what = fixture + " mutant " + i;
                if (assertOnlyMalformed(eventOf(fixture), mutant, what, false)) {
                    malformed++;
                } else {
                    parsed++;
                }
            }
        }
        // Both outcomes must occur, or the mutations are too weak or too strong to mean much.
        assertThat(parsed).isPositive();
        assertThat(malformed).isPositive();
    }

    /** Returns true when the body was rejected as malformed. */
    private boolean assertOnlyMalformed(String event, byte[] body, String what,
            boolean mustBeMalformed) {
        try {
            WebhookEvent e = parser.parse(event, "d-1", body);
            if (mustBeMalformed) {
                fail(what + " parsed as " + e);
            }
            return false;
        } catch (MalformedWebhookException expected) {
            assertThat(expected.getMessage()).isNotBlank();
            return true;
        } catch (RuntimeException | AssertionError unexpected) {
            throw new AssertionError(what + " threw " + unexpected, unexpected);
        }
    }

    private static byte[] mutate(byte[] body, Random random) {
        byte[] copy = body.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(copy.length);
            switch (random.nextInt(4)) {
                case 0 -> copy[at] = (byte) random.nextInt(256);
                case 1 -> copy[at] = (byte) "{}[]\",:0n-\\".charAt(random.nextInt(11));
                case 2 -> copy[at] = (byte) (copy[at] ^ (1 << random.nextInt(8)));
                default -> copy = deleteByte(copy, at);
            }
        }
        return copy;
    }

    private static byte[] deleteByte(byte[] b, int at) {
        byte[] out = new byte[b.length - 1];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + 1, out, at, b.length - at - 1);
        return out;
    }

    private static List<Path> fixtures() throws Exception {
        try (Stream<Path> files = Files.list(Fixtures.root().resolve("github"))) {
            List<Path> all = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            assertThat(all).hasSize(14);
            return all;
        }
    }

    /** {@code pull_request.opened.json} → {@code pull_request}: the README's naming. */
    private static String eventOf(Path fixture) {
        String name = fixture.getFileName().toString();
        return name.substring(0, name.indexOf('.'));
    }
}
