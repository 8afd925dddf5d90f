package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import io.tidegate.github.CommentCommand.Addressee;
import io.tidegate.github.CommentCommand.Atlantis;
import io.tidegate.github.CommentCommand.Explain;
import io.tidegate.github.CommentCommand.Help;
import io.tidegate.github.CommentCommand.Invalid;
import io.tidegate.github.CommentCommand.NotACommand;
import io.tidegate.github.CommentCommand.Verb;
import io.tidegate.github.CommentCommand.WindowOverride;
import org.junit.jupiter.api.Test;

class CommentCommandParserTest {
    private final CommentCommandParser parser = new CommentCommandParser("atlantis-bot");

    private static Atlantis apply(String project, String dir, String ws, String... extra) {
        return new Atlantis(Verb.APPLY, Optional.ofNullable(project), Optional.ofNullable(dir),
                Optional.ofNullable(ws), List.of(extra));
    }

    private static Invalid atlantisInvalid(String command, String problem) {
        return new Invalid(Addressee.ATLANTIS, command, problem);
    }

    private static Invalid tidegateInvalid(String command, String problem) {
        return new Invalid(Addressee.TIDEGATE, command, problem);
    }

    @Test
    void bareApplyTargetsEverything() {
        assertThat(parser.parse("atlantis apply")).isEqualTo(apply(null, null, null));
    }

    @Test
    void applyWithProjectInEveryAtlantisSpelling() {
        Atlantis expected = apply("prod-network", null, null);
        assertThat(parser.parse("atlantis apply -p prod-network")).isEqualTo(expected);
        assertThat(parser.parse("atlantis apply --project prod-network")).isEqualTo(expected);
        assertThat(parser.parse("atlantis apply --project=prod-network")).isEqualTo(expected);
        assertThat(parser.parse("atlantis apply -p \"prod-network\"")).isEqualTo(expected);
        assertThat(parser.parse("  atlantis   apply\t-p prod-network  \n")).isEqualTo(expected);
    }

    @Test
    void applyWithDirAndWorkspace() {
        assertThat(parser.parse("atlantis apply -d envs/prod -w blue"))
                .isEqualTo(apply(null, "envs/prod", "blue"));
        assertThat(parser.parse("atlantis apply --dir envs/prod")).isEqualTo(
                apply(null, "envs/prod", null));
        assertThat(parser.parse("atlantis apply -w blue")).isEqualTo(apply(null, null, "blue"));
    }

    @Test
    void everyPrefixAddressesAtlantis() {
        assertThat(parser.parse("run apply -p app")).isEqualTo(apply("app", null, null));
        assertThat(parser.parse("@atlantis-bot apply -p app")).isEqualTo(apply("app", null, null));
        // GitHub logins are case-insensitive, so are mentions.
        assertThat(parser.parse("@Atlantis-Bot apply -p app")).isEqualTo(apply("app", null, null));
        assertThat(parser.parse("@someone-else apply -p app")).isEqualTo(new NotACommand());
    }

    /** comment_parser.go: a first word one or two edits from "atlantis" gets "did you mean". */
    @Test
    void aMentionOneEditFromAtlantisIsAtlantissDidYouMeanNotACommand() {
        assertThat(new CommentCommandParser("atlantis").parse("@atlantis apply"))
                .isEqualTo(new NotACommand());
    }

    @Test
    void withoutABotNameOnlyAtlantisAndRunArePrefixes() {
        assertThat(new CommentCommandParser("@atlantis-bot").parse("@atlantis-bot apply"))
                .isEqualTo(apply(null, null, null));
        CommentCommandParser noBot = new CommentCommandParser("");
        assertThat(noBot.parse("@ apply")).isEqualTo(new NotACommand());
        assertThat(noBot.parse("run apply")).isEqualTo(apply(null, null, null));
    }

    @Test
    void planIsRecognisedWithTerraformArgs() {
        assertThat(parser.parse("atlantis plan -d infra -- -target=module.vpc -refresh=false"))
                .isEqualTo(new Atlantis(Verb.PLAN, Optional.empty(), Optional.of("infra"),
                        Optional.empty(), List.of("-target=module.vpc", "-refresh=false")));
        assertThat(parser.parse("atlantis apply -p app --")).isEqualTo(apply("app", null, null));
    }

    /** Atlantis's refusals carry Atlantis's own reason (comment_parser.go, v0.47). */
    private static Invalid refused(String command, String why) {
        return atlantisInvalid(command, "Atlantis will refuse it too: " + why + ".");
    }

    @Test
    void atlantisBooleanFlagsAreAccepted() {
        assertThat(parser.parse("atlantis apply -p app --verbose --auto-merge-disabled"))
                .isEqualTo(apply("app", null, null));
        assertThat(parser.parse("atlantis apply --auto-merge-method squash"))
                .isEqualTo(apply(null, null, null));
        assertThat(parser.parse("atlantis plan --auto-merge-disabled")).isEqualTo(refused(
                "atlantis plan --auto-merge-disabled", "unknown flag: --auto-merge-disabled"));
        assertThat(parser.parse("atlantis apply --verbose=yes")).isEqualTo(refused(
                "atlantis apply --verbose=yes", "invalid argument \"yes\" for \"--verbose\""
                        + " flag: strconv.ParseBool: parsing \"yes\": invalid syntax"));
    }

    @Test
    void otherAtlantisVerbsAreNotOursButUnknownOnesAreRefusedAsAtlantisDoes() {
        assertThat(parser.parse("atlantis unlock")).isEqualTo(new NotACommand());
        assertThat(parser.parse("atlantis help")).isEqualTo(new NotACommand());
        assertThat(parser.parse("atlantis")).isEqualTo(new NotACommand());
        // Atlantis answers "unknown command" to this too: "run" is one of its prefixes.
        assertThat(parser.parse("run the tests please")).isEqualTo(refused(
                "run the tests please", "unknown command \"the\""));
    }

    @Test
    void projectExcludesDirAndWorkspace() {
        String why = "cannot use -p/--project at same time as -d/--dir or -w/--workspace";
        assertThat(parser.parse("atlantis apply -p app -d infra")).isEqualTo(refused(
                "atlantis apply -p app -d infra", why));
        assertThat(parser.parse("atlantis apply -w blue -p app")).isEqualTo(refused(
                "atlantis apply -w blue -p app", why));
    }

    @Test
    void unknownFlagsAndStrayArgumentsAreInvalid() {
        assertThat(parser.parse("atlantis apply -x")).isEqualTo(
                refused("atlantis apply -x", "unknown shorthand flag: 'x' in -x"));
        assertThat(parser.parse("atlantis apply --force")).isEqualTo(
                refused("atlantis apply --force", "unknown flag: --force"));
        assertThat(parser.parse("atlantis apply prod")).isEqualTo(
                refused("atlantis apply prod", "unknown argument(s) – prod"));
    }

    /** pflag: a string flag takes the next word, whatever it is; the last repeat wins. */
    @Test
    void missingValuesAreInvalidAndRepeatedFlagsKeepTheLast() {
        assertThat(parser.parse("atlantis apply -p")).isEqualTo(
                refused("atlantis apply -p", "flag needs an argument: 'p' in -p"));
        assertThat(parser.parse("atlantis apply -d -w blue")).isEqualTo(
                refused("atlantis apply -d -w blue", "unknown argument(s) – blue"));
        assertThat(parser.parse("atlantis apply --project=")).isEqualTo(apply(null, null, null));
        assertThat(parser.parse("atlantis apply -p a -p b")).isEqualTo(apply("b", null, null));
    }

    @Test
    void pathsMayNotClimbOutAndWorkspacesAreNames() {
        assertThat(parser.parse("atlantis apply -d ../other")).isEqualTo(refused(
                "atlantis apply -d ../other",
                "using a relative path \"../other\" with -d/--dir is not allowed"));
        assertThat(parser.parse("atlantis apply -d a -w x/y")).isEqualTo(refused(
                "atlantis apply -d a -w x/y", "invalid workspace \"x/y\": cannot contain '/'"
                        + " or '\\'"));
    }

    @Test
    void nothingShellLikeIsInterpreted() {
        assertThat(parser.parse("atlantis apply -p $(whoami)")).isEqualTo(
                apply("$(whoami)", null, null));
        assertThat(parser.parse("atlantis apply -p 'a b'")).isEqualTo(apply("a b", null, null));
        assertThat(parser.parse("atlantis apply -p app; rm -rf /")).isEqualTo(refused(
                "atlantis apply -p app; rm -rf /", "unknown shorthand flag: 'r' in -rf"));
    }

    /** google/shlex: quotes may sit inside a word; an unclosed one is an error. */
    @Test
    void quotesAreReadAsGoogleShlexReadsThem() {
        assertThat(parser.parse("atlantis apply -p \"app")).isEqualTo(refused(
                "atlantis apply -p \"app",
                "Error parsing command: EOF found when expecting closing quote"));
        assertThat(parser.parse("atlantis apply -p a\"pp\"")).isEqualTo(apply("app", null,
                null));
        assertThat(parser.parse("atlantis apply -p \"a\"pp")).isEqualTo(apply("app", null,
                null));
    }

    @Test
    void atlantisIgnoresMultiLineCommentsAndSoDoWe() {
        assertThat(parser.parse("atlantis apply\nplease")).isEqualTo(new NotACommand());
        assertThat(parser.parse("atlantis apply -p app\r\n\r\n  ")).isEqualTo(
                apply("app", null, null));
    }

    @Test
    void tidegateCommandsReadOnlyTheFirstLine() {
        assertThat(parser.parse("tidegate help\nthanks!")).isEqualTo(new Help());
        assertThat(parser.parse("tidegate explain\n-p other")).isEqualTo(
                new Explain(Optional.empty()));
    }

    @Test
    void explainWithAndWithoutProject() {
        assertThat(parser.parse("tidegate explain")).isEqualTo(new Explain(Optional.empty()));
        assertThat(parser.parse("tidegate explain -p prod-network"))
                .isEqualTo(new Explain(Optional.of("prod-network")));
        assertThat(parser.parse("tidegate explain --project=prod-network"))
                .isEqualTo(new Explain(Optional.of("prod-network")));
        assertThat(parser.parse("tidegate explain -d infra")).isEqualTo(tidegateInvalid(
                "tidegate explain -d infra", "unknown flag `-d` for explain."));
        assertThat(parser.parse("tidegate explain -p a -p b")).isEqualTo(tidegateInvalid(
                "tidegate explain -p a -p b", "-p is given twice."));
        assertThat(parser.parse("tidegate explain -p")).isEqualTo(tidegateInvalid(
                "tidegate explain -p", "-p needs a value."));
    }

    @Test
    void overrideNeedsAQuotedNonEmptyReason() {
        assertThat(parser.parse("tidegate override --reason \"INC-42: payments down\""))
                .isEqualTo(new WindowOverride("INC-42: payments down"));
        assertThat(parser.parse("tidegate override --reason 'hotfix for \"db\"'"))
                .isEqualTo(new WindowOverride("hotfix for \"db\""));
        assertThat(parser.parse("tidegate override --reason \"say \\\"now\\\"\""))
                .isEqualTo(new WindowOverride("say \"now\""));
        assertThat(parser.parse("tidegate override")).isEqualTo(tidegateInvalid(
                "tidegate override",
                "an override needs a reason: --reason \"why it must go now\"."));
        assertThat(parser.parse("tidegate override --reason hotfix")).isEqualTo(tidegateInvalid(
                "tidegate override --reason hotfix",
                "the reason must be in quotes: --reason \"...\"."));
        assertThat(parser.parse("tidegate override --reason \"   \"")).isEqualTo(
                tidegateInvalid("tidegate override --reason \"   \"",
                        "the reason must not be empty."));
        assertThat(parser.parse("tidegate override --reason")).isEqualTo(tidegateInvalid(
                "tidegate override --reason", "--reason needs a value."));
        assertThat(parser.parse("tidegate override --reason \"a\" --reason \"b\"")).isEqualTo(
                tidegateInvalid("tidegate override --reason \"a\" --reason \"b\"",
                        "--reason is given twice."));
        assertThat(parser.parse("tidegate override --reason \"unterminated")).isEqualTo(
                tidegateInvalid("tidegate override --reason \"unterminated",
                        "the quote \" opened at column 28 is never closed."));
        assertThat(parser.parse("tidegate override --force \"x\"")).isEqualTo(tidegateInvalid(
                "tidegate override --force \"x\"", "unknown flag `--force` for override."));
    }

    @Test
    void overrideReasonIsLengthCapped() {
        String ok = "x".repeat(CommentCommandParser.MAX_REASON);
        assertThat(parser.parse("tidegate override --reason \"" + ok + "\""))
                .isEqualTo(new WindowOverride(ok));
        CommentCommand tooLong = parser.parse("tidegate override --reason \"" + ok + "y\"");
        assertThat(((Invalid) tooLong).problem())
                .isEqualTo("the reason is 501 characters long; at most 500 are allowed.");
        assertThat(((Invalid) tooLong).command()).endsWith("…").hasSize(121);
    }

    @Test
    void anythingElseAfterTidegateIsAPoliteError() {
        assertThat(parser.parse("tidegate")).isEqualTo(
                tidegateInvalid("tidegate", "no command given."));
        assertThat(parser.parse("tidegate overide --reason \"x\"")).isEqualTo(tidegateInvalid(
                "tidegate overide --reason \"x\"", "`overide` is not a Tidegate command."));
        assertThat(parser.parse("tidegate help me")).isEqualTo(tidegateInvalid(
                "tidegate help me", "unknown argument `me` for help."));
    }

    @Test
    void invalidReplyQuotesTheCommandHarmlesslyAndShowsUsage() {
        Invalid invalid = (Invalid) parser.parse("tidegate `ping` @everyone");
        assertThat(invalid.reply()).isEqualTo(
                "Sorry, I could not understand `tidegate 'ping' @everyone`: "
                        + "`'ping'` is not a Tidegate command.\n\nUsage:\n```\n"
                        + CommentCommand.TIDEGATE_USAGE + "\n```\n");
        assertThat(atlantisInvalid("x", "y").usage()).isEqualTo(CommentCommand.ATLANTIS_USAGE);
    }

    @Test
    void mentionsInAnInvalidCommandStayInCodeSpans() {
        assertThat(parser.parse("tidegate @everyone")).isEqualTo(tidegateInvalid(
                "tidegate @everyone", "`@everyone` is not a Tidegate command."));
    }

    @Test
    void conversationIsNotACommand() {
        assertThat(parser.parse("LGTM, ship it")).isEqualTo(new NotACommand());
        assertThat(parser.parse("")).isEqualTo(new NotACommand());
        assertThat(parser.parse("Tidegate blocked this, why?")).isEqualTo(new NotACommand());
        assertThat(parser.parse("> atlantis apply")).isEqualTo(new NotACommand());
        assertThat(parser.parse("please run atlantis apply")).isEqualTo(new NotACommand());
    }
}
