package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** {@code tidegate freeze | unfreeze | unlock} as the comment parser reads them. */
class EnvironmentArgsTest {
    private final CommentCommandParser parser = new CommentCommandParser("atlantis");

    private String problem(String comment) {
        CommentCommand c = parser.parse(comment);
        assertThat(c).isInstanceOf(CommentCommand.Invalid.class);
        return ((CommentCommand.Invalid) c).problem();
    }

    @Test
    void freezeReadsEnvironmentUntilReasonAndOverridableInAnyOrder() {
        assertThat(parser.parse("tidegate freeze production --until 2026-12-27T09:00 "
                + "--reason \"year end\" --overridable")).isEqualTo(new CommentCommand.Freeze(
                        "production", Optional.of("2026-12-27T09:00"), "year end", true));
        assertThat(parser.parse("tidegate freeze staging --overridable --reason 'db down' "
                + "--until=2026-12-27T09:00:00+09:00")).isEqualTo(new CommentCommand.Freeze(
                        "staging", Optional.of("2026-12-27T09:00:00+09:00"), "db down", true));
        assertThat(parser.parse("tidegate freeze production --reason \"INC-1\""))
                .isEqualTo(new CommentCommand.Freeze("production", Optional.empty(), "INC-1",
                        false));
    }

    @Test
    void unfreezeAndUnlockNameTheEnvironment() {
        assertThat(parser.parse("tidegate unfreeze production"))
                .isEqualTo(new CommentCommand.Unfreeze("production"));
        assertThat(parser.parse("tidegate unlock production --reason \"runner died\""))
                .isEqualTo(new CommentCommand.Unlock("production", "runner died"));
    }

    @Test
    void malformedEnvironmentCommandsSayWhatIsWrong() {
        assertThat(problem("tidegate freeze --reason \"x\"")).isEqualTo("freeze needs the "
                + "environment first: tidegate freeze production ...");
        assertThat(problem("tidegate freeze production")).isEqualTo("a freeze needs a reason: "
                + "--reason \"why\".");
        assertThat(problem("tidegate freeze production --reason x")).isEqualTo("the reason "
                + "must be in quotes: --reason \"...\".");
        assertThat(problem("tidegate freeze production --until tomorrow --reason \"x\""))
                .isEqualTo("--until must be a date and time such as 2026-12-27T09:00 (the "
                        + "policy's zone) or 2026-12-27T09:00+09:00, found `tomorrow`.");
        assertThat(problem("tidegate freeze 'prod env' --reason \"x\"")).isEqualTo("`prod env`"
                + " is not an environment name.");
        assertThat(problem("tidegate unfreeze production now")).isEqualTo("unknown argument "
                + "`now` for unfreeze.");
        assertThat(problem("tidegate unlock production")).isEqualTo("releasing a lock needs a "
                + "reason: --reason \"why\".");
        assertThat(problem("tidegate freeze production --reason \"a\" --reason \"b\""))
                .isEqualTo("--reason is given twice.");
    }
}
