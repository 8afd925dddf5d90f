package io.tidegate.github;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import io.tidegate.github.CommentCommand.Atlantis;
import io.tidegate.github.CommentCommand.Invalid;
import io.tidegate.github.CommentCommand.NotACommand;
import io.tidegate.github.CommentCommand.Verb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Atlantis's own test table of its comment grammar, ported: server/events/comment_parser_test.go
 * of runatlantis/atlantis v0.47.0-7-g078d0a820 (its parser has GithubUser "github-user",
 * ExecutableName "atlantis", every comment command allowed, DefaultBlockedExtraArgs). Each Go
 * test function is a method source named after it. What Atlantis answers with an error is an
 * {@link Invalid} here; what it ignores or answers with help, usage or "did you mean" is
 * {@link NotACommand}; what it runs is an {@link Atlantis} with the same command, directory,
 * workspace, project and extra args. Cases of a custom executable name or another VCS
 * (TestParse_ExecutableName, TestParse_NoMisspellWarningForCustomExecutableName, the
 * non-GitHub rows of TestParse_VCSUsername, TestParse_CustomBlockedExtraArgs) do not apply:
 * Tidegate reads GitHub comments to the default executable name.
 */
class AtlantisCommentGrammarTest {
    private final CommentCommandParser parser = new CommentCommandParser("github-user");

    private CommentCommand parse(String comment) {
        return parser.parse(comment);
    }

    // --- what Atlantis ignores, or answers without running anything ---

    static Stream<String> ignored() {
        return Stream.of("", "a", "abc", "atlantis plan\nbut with newlines",
                "terraform plan\nbut with newlines", "This shouldn't error, but it does.");
    }

    static Stream<String> helpResponse() {
        return Stream.of("run", "atlantis", "@github-user", "atlantis help", "atlantis --help",
                "atlantis -h", "atlantis help something else", "atlantis help plan",
                // TestParse_TrimCommandString
                "`atlantis help`", "`  atlantis help  `", "`atlantis help`  ",
                "  `atlantis help",
                // TestParse_VCSUsername, GitHub row
                "@github-user help");
    }

    static Stream<String> didYouMeanAtlantis() {
        return Stream.of("terraform", "terraform help", "terraform --help", "terraform -h",
                "terraform plan", "terraform apply", "terraform plan -w workspace -d . -- test");
    }

    static Stream<String> subcommandUsage() {
        return Stream.of("atlantis plan -h", "atlantis plan --help", "atlantis apply -h",
                "atlantis apply --help", "atlantis approve_policies -h",
                "atlantis approve_policies --help", "atlantis import -h",
                "atlantis import --help", "atlantis state -h", "atlantis state --help");
    }

    @ParameterizedTest
    @MethodSource({"ignored", "helpResponse", "didYouMeanAtlantis", "subcommandUsage"})
    void commentsAtlantisRunsNothingForAreNotCommands(String comment) {
        assertThat(parse(comment)).isEqualTo(new NotACommand());
    }

    // --- what Atlantis refuses with an error ---

    static Stream<Arguments> unusedArguments() {
        return Stream.of(
                Arguments.of("atlantis plan -d . arg", "unknown argument(s) – arg"),
                Arguments.of("atlantis plan arg -d .", "unknown argument(s) – arg"),
                Arguments.of("atlantis plan arg", "unknown argument(s) – arg"),
                Arguments.of("atlantis plan arg arg2", "unknown argument(s) – arg arg2"),
                Arguments.of("atlantis plan -d . arg -w kjj arg2",
                        "unknown argument(s) – arg arg2"),
                Arguments.of("atlantis apply -d . arg", "unknown argument(s) – arg"),
                Arguments.of("atlantis apply arg arg2", "unknown argument(s) – arg arg2"),
                Arguments.of("atlantis apply arg arg2 -- useful",
                        "unknown argument(s) – arg arg2"),
                Arguments.of("atlantis apply arg arg2 --", "unknown argument(s) – arg arg2"),
                Arguments.of("atlantis approve_policies arg arg2 arg3 --",
                        "unknown argument(s) – arg arg2 arg3"),
                Arguments.of("atlantis import arg --", "unknown argument(s) – arg"),
                Arguments.of("atlantis import arg1 arg2 arg3 --",
                        "unknown argument(s) – arg1 arg2 arg3"));
    }

    static Stream<Arguments> invalidFlags() {
        return Stream.of(
                Arguments.of("atlantis plan -e", "unknown shorthand flag: 'e' in -e"),
                Arguments.of("atlantis plan --abc", "unknown flag: --abc"),
                Arguments.of("atlantis apply -e", "unknown shorthand flag: 'e' in -e"),
                Arguments.of("atlantis apply --abc", "unknown flag: --abc"),
                Arguments.of("atlantis import --abc", "unknown flag: --abc"),
                Arguments.of("atlantis state rm --abc", "unknown flag: --abc"),
                // TestParse_UnknownShorthandFlag: unlock answers its usage
                Arguments.of("atlantis unlock -d .", "unlock takes no flags or arguments"),
                // TestParse_InvalidCommand
                Arguments.of("atlantis paln", "unknown command \"paln\""),
                Arguments.of("atlantis appely apply", "unknown command \"appely\""));
    }

    static Stream<String> relativeDirPath() {
        return Stream.of("atlantis plan -d ..", "atlantis apply -d ..",
                "atlantis import -d .. address id", "atlantis state -d .. rm address",
                "atlantis plan -d ./..", "atlantis apply -d ./..",
                "atlantis import -d ./.. address id", "atlantis state -d ./.. rm address",
                "atlantis plan -d a/b/../../..", "atlantis apply -d a/../..",
                "atlantis import -d a/../.. address id",
                "atlantis state -d a/../.. rm address id");
    }

    static Stream<String> globPatternDirWithRelativePath() {
        return Stream.of("atlantis plan -d '../*'", "atlantis plan -d 'modules/../*'",
                "atlantis plan -d '../**'", "atlantis apply -d '../apps/*'",
                "atlantis import -d '../*' address id", "atlantis state -d '../*' rm address");
    }

    static Stream<String> invalidGlobPattern() {
        return Stream.of("atlantis plan -d 'modules/[invalid'",
                "atlantis apply -d 'apps/[unclosed'");
    }

    static Stream<String> invalidWorkspace() {
        return Stream.of("atlantis plan -w ..", "atlantis apply -w ..",
                "atlantis import -w .. address id", "atlantis import -w .. rm address",
                "atlantis plan -w /", "atlantis apply -w /", "atlantis import -w / address id",
                "atlantis state -w / rm address", "atlantis plan -w ..abc",
                "atlantis apply -w abc..", "atlantis import -w abc.. address id",
                "atlantis state -w abc.. rm address", "atlantis plan -w abc..abc",
                "atlantis apply -w ../../../etc/passwd",
                "atlantis import -w ../../../etc/passwd address id",
                "atlantis state -w ../../../etc/passwd rm address",
                // TestParse_WorkspaceTildeInvalid
                "atlantis plan -w ~", "atlantis apply -w ~", "atlantis plan -w ~user",
                "atlantis apply -w ~root", "atlantis import -w ~ address id",
                "atlantis state -w ~ rm address",
                // TestParse_WorkspaceUnsafeForPathsInvalid
                "atlantis plan -w a$HOME", "atlantis plan -w a$(id)b");
    }

    static Stream<Arguments> blockedExtraArgs() {
        return Stream.of(
                Arguments.of("atlantis plan -- -chdir=../other", "-chdir=../other"),
                Arguments.of("atlantis plan -- --chdir=/tmp", "--chdir=/tmp"),
                Arguments.of("atlantis plan -- -chdir", "-chdir"),
                Arguments.of("atlantis plan -- --chdir", "--chdir"),
                Arguments.of("atlantis plan -- -plugin-dir=/tmp/evil", "-plugin-dir=/tmp/evil"),
                Arguments.of("atlantis plan -- --plugin-dir=/tmp/evil",
                        "--plugin-dir=/tmp/evil"),
                Arguments.of("atlantis apply -- -chdir=../sensitive", "-chdir=../sensitive"),
                Arguments.of("atlantis import address id -- -chdir=..", "-chdir=.."));
    }

    static Stream<String> usingProjectAtSameTimeAsWorkspaceOrDir() {
        return Stream.of("atlantis plan -w workspace -p project",
                "atlantis plan -d dir -p project", "atlantis plan -d dir -w workspace -p project");
    }

    @ParameterizedTest
    @MethodSource({"unusedArguments", "invalidFlags"})
    void commentsAtlantisRefusesAreInvalidWithAtlantissReason(String comment, String why) {
        assertThat(parse(comment)).isInstanceOfSatisfying(Invalid.class, i -> assertThat(
                i.problem()).isEqualTo("Atlantis will refuse it too: " + why + "."));
    }

    @ParameterizedTest
    @MethodSource({"relativeDirPath", "globPatternDirWithRelativePath", "invalidGlobPattern",
            "invalidWorkspace", "usingProjectAtSameTimeAsWorkspaceOrDir"})
    void commentsAtlantisRefusesAreInvalid(String comment) {
        assertThat(parse(comment)).isInstanceOf(Invalid.class);
    }

    @ParameterizedTest
    @MethodSource("blockedExtraArgs")
    void blockedTerraformFlagsAreRefused(String comment, String flag) {
        assertThat(parse(comment)).isInstanceOfSatisfying(Invalid.class, i -> assertThat(
                i.problem()).contains("flag \"" + flag + "\" is not allowed in extra args"));
    }

    @Test
    void relativePathAndWorkspaceRefusalsSayWhy() {
        assertThat(((Invalid) parse("atlantis plan -d ..")).problem()).isEqualTo("Atlantis will"
                + " refuse it too: using a relative path \"..\" with -d/--dir is not allowed.");
        assertThat(((Invalid) parse("atlantis plan -w ~")).problem()).isEqualTo("Atlantis will"
                + " refuse it too: invalid workspace \"~\": cannot start with '~'.");
        assertThat(((Invalid) parse("atlantis plan -d dir -p project")).problem()).isEqualTo(
                "Atlantis will refuse it too: cannot use -p/--project at same time as"
                        + " -d/--dir or -w/--workspace.");
    }

    // --- what Atlantis runs ---

    static Stream<String> validCommand() {
        return Stream.of("atlantis plan\n", "atlantis plan\n\n", "atlantis plan\r\n",
                "atlantis plan\r\n\r\n", "\natlantis plan", "\r\natlantis plan",
                "\natlantis plan\n", "\r\natlantis plan\r\n", "atlantis plan",
                "Atlantis plan", "Atlantis Plan", "ATLANTIS PLAN");
    }

    @ParameterizedTest
    @MethodSource("validCommand")
    void planIsReadWhateverTheCaseAndSurroundingNewlines(String comment) {
        assertThat(parse(comment)).isEqualTo(new Atlantis(Verb.PLAN, Optional.empty(),
                Optional.empty(), Optional.empty(), List.of()));
    }

    /**
     * Atlantis trims with Go's strings.TrimSpace and lower-cases with strings.ToLower (Parse,
     * server/events/comment_parser.go): a no-break space or U+0085 at an end is trimmed, U+001C
     * is not (Java's strip() does the reverse), and "İ" lowers to "i" alone (Java's
     * toLowerCase adds a combining dot). Not rows of Atlantis's table: found by reading it.
     */
    @Test
    void spacesAndCaseAreReadAsGoReadsThem() {
        assertThat(parse("atlantis apply -p prod\u00a0")).isEqualTo(new Atlantis(Verb.APPLY,
                Optional.of("prod"), Optional.empty(), Optional.empty(), List.of()));
        assertThat(parse("\u0085atlantis plan\u3000")).isEqualTo(new Atlantis(Verb.PLAN,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
        assertThat(parse("ATLANT\u0130S plan")).isEqualTo(new Atlantis(Verb.PLAN,
                Optional.empty(), Optional.empty(), Optional.empty(), List.of()));
        // U+001C is no space to Go: it stays part of the project's name
        assertThat(parse("atlantis apply -p prod\u001c")).isEqualTo(new Atlantis(Verb.APPLY,
                Optional.of("prod\u001c"), Optional.empty(), Optional.empty(), List.of()));
    }

    /** "@" + the configured login, against the lower-cased word: capitals never match. */
    @Test
    void aMentionMatchesTheLoginExactlyAsConfigured() {
        assertThat(new CommentCommandParser("Atlantis-Bot").parse("@atlantis-bot plan"))
                .isEqualTo(new NotACommand());
        assertThat(new CommentCommandParser("atlantis-bot").parse("@Atlantis-Bot plan"))
                .isEqualTo(new Atlantis(Verb.PLAN, Optional.empty(), Optional.empty(),
                        Optional.empty(), List.of()));
    }

    static Stream<Arguments> globPatternDir() {
        return Stream.of(
                Arguments.of("atlantis plan -d modules/*", "modules/*"),
                Arguments.of("atlantis plan -d modules/**", "modules/**"),
                Arguments.of("atlantis plan -d environments/*/apps", "environments/*/apps"),
                Arguments.of("atlantis plan -d 'env[0-9]/*'", "env[0-9]/*"),
                Arguments.of("atlantis plan -d stacks/prod-?-*", "stacks/prod-?-*"),
                Arguments.of("atlantis apply -d modules/**", "modules/**"),
                Arguments.of("atlantis import -d modules/* address id", "modules/*"),
                Arguments.of("atlantis state -d modules/* rm address", "modules/*"));
    }

    @ParameterizedTest
    @MethodSource("globPatternDir")
    void globDirectoriesAreKeptAndTheirSelectionCannotBeKnown(String comment, String dir) {
        assertThat(parse(comment)).isInstanceOfSatisfying(Atlantis.class, a -> {
            assertThat(a.dir()).contains(dir);
            assertThat(a.isSelectionKnowable()).isFalse();
        });
    }

    static Stream<String> workspaceShellMetacharactersAllowed() {
        return Stream.of("atlantis plan -w a;id", "atlantis plan -w a&&id",
                "atlantis apply -w a&&id", "atlantis plan -w a|id", "atlantis plan -w a`id`b",
                "atlantis plan -w a>b", "atlantis plan -w a=b", "atlantis plan -w a:b",
                "atlantis plan -w a@b", "atlantis plan -w a+b", "atlantis plan -w _foo",
                "atlantis plan -w .hidden");
    }

    @ParameterizedTest
    @MethodSource("workspaceShellMetacharactersAllowed")
    void shellCharactersInAWorkspaceAreAccepted(String comment) {
        assertThat(parse(comment)).isInstanceOf(Atlantis.class);
    }

    /** TestParse_Parsing: flags, expected workspace, dir, extra args, project. */
    static Stream<Arguments> parsing() {
        String[][] rows = {
            {"", "", "", "", ""},
            {"-w workspace", "workspace", "", "", ""},
            {"-d dir", "", "dir", "", ""},
            {"-p project", "", "", "", "project"},
            {"--verbose", "", "", "", ""},
            {"--workspace workspace", "workspace", "", "", ""},
            {"--dir dir", "", "dir", "", ""},
            {"--project project", "", "", "", "project"},
            {"-w workspace -d dir --verbose", "workspace", "dir", "", ""},
            {"-d dir -w workspace --verbose", "workspace", "dir", "", ""},
            {"--verbose -w workspace -d dir", "workspace", "dir", "", ""},
            {"-p project --verbose", "", "", "", "project"},
            {"--verbose -p project", "", "", "", "project"},
            {"-w workspace -d dir -- --verbose", "workspace", "dir", "--verbose", ""},
            {"-w workspace -- -d dir --verbose", "workspace", "", "-d dir --verbose", ""},
            {"--", "", "", "", ""},
            {"-w workspace -d dir --verbose -- arg one -two --three &&", "workspace", "dir",
                "arg one -two --three &&", ""},
            {"\t-w\tworkspace\t-d\tdir\t--verbose\t--\targ\tone\t-two\t--three\t&&",
                "workspace", "dir", "arg one -two --three &&", ""},
            {"   -w   workspace   -d   dir   --verbose   --   arg   one   -two   --three   &&",
                "workspace", "dir", "arg one -two --three &&", ""},
            {"-d /", "", ".", "", ""},
            {"-d /adir", "", "adir", "", ""},
            {"-d .", "", ".", "", ""},
            {"-d ./", "", ".", "", ""},
            {"-d ./adir", "", "adir", "", ""},
            {"-d \"dir with space\"", "", "dir with space", "", ""},
        };
        List<Arguments> out = new ArrayList<>();
        for (String[] r : rows) {
            // each row for plan, apply, import and state rm, as the Go test does
            out.add(Arguments.of("atlantis plan " + r[0], Verb.PLAN, r[1], r[2], r[3], r[4]));
            out.add(Arguments.of("atlantis apply " + r[0], Verb.APPLY, r[1], r[2], r[3], r[4]));
            out.add(Arguments.of("atlantis import 'some[\"addr\"]' id " + r[0], Verb.IMPORT,
                    r[1], r[2], join(r[3], "some[\"addr\"] id"), r[4]));
            out.add(Arguments.of("atlantis state rm 'some[\"addr\"]' " + r[0], Verb.STATE_RM,
                    r[1], r[2], join(r[3], "some[\"addr\"]"), r[4]));
        }
        return out.stream();
    }

    private static String join(String extra, String commandArgs) {
        return extra.isEmpty() ? commandArgs : extra + " " + commandArgs;
    }

    @ParameterizedTest
    @MethodSource("parsing")
    void flagsSelectWhatAtlantisSelects(String comment, Verb verb, String workspace, String dir,
            String extra, String project) {
        assertThat(parse(comment)).isInstanceOfSatisfying(Atlantis.class, a -> {
            assertThat(a.verb()).isEqualTo(verb);
            assertThat(a.workspace().orElse("")).isEqualTo(workspace);
            assertThat(a.dir().orElse("")).isEqualTo(dir);
            assertThat(a.project().orElse("")).isEqualTo(project);
            assertThat(String.join(" ", a.extraArgs())).isEqualTo(extra);
        });
    }

    // --- the brief's pflag points, beyond the Go table ---

    @Test
    void pflagSpellingsRepeatedFlagsAndBoolValuesAreAtlantiss() {
        Atlantis prod = new Atlantis(Verb.APPLY, Optional.of("prod"), Optional.empty(),
                Optional.empty(), List.of());
        assertThat(parse("atlantis apply -pprod")).isEqualTo(prod);
        assertThat(parse("atlantis apply -p=prod")).isEqualTo(prod);
        assertThat(parse("atlantis apply --project=prod")).isEqualTo(prod);
        assertThat(parse("atlantis apply -p staging -p prod")).isEqualTo(prod);
        assertThat(parse("atlantis apply -p prod --verbose=true")).isEqualTo(prod);
        assertThat(parse("`atlantis APPLY -p prod`")).isEqualTo(prod);
        assertThat(parse("atlantis apply --verbose=yes")).isInstanceOfSatisfying(Invalid.class,
                i -> assertThat(i.problem()).contains("invalid argument \"yes\" for"
                        + " \"--verbose\" flag"));
    }

    @Test
    void dirWithoutWorkspaceSelectsTheDefaultWorkspaceAndNoFlagsSelectEverything() {
        Atlantis dirOnly = (Atlantis) parse("atlantis apply -d environments/prod");
        assertThat(dirOnly.selectedDir()).isEqualTo("environments/prod");
        assertThat(dirOnly.selectedWorkspace()).isEqualTo("default");
        Atlantis wsOnly = (Atlantis) parse("atlantis apply -w prod");
        assertThat(wsOnly.selectedDir()).isEqualTo(".");
        assertThat(((Atlantis) parse("atlantis apply")).isForSpecificProject()).isFalse();
    }

    @Test
    void regexProjectSelectionCannotBeKnown() {
        assertThat(((Atlantis) parse("atlantis apply -p 'prod-.*'")).isSelectionKnowable())
                .isFalse();
        assertThat(((Atlantis) parse("atlantis apply -p prod-environment"))
                .isSelectionKnowable()).isTrue();
    }

    @Test
    void unclosedQuoteIsRefusedAsAtlantisRefusesIt() {
        assertThat(parse("atlantis apply -p 'prod")).isInstanceOfSatisfying(Invalid.class,
                i -> assertThat(i.problem()).isEqualTo("Atlantis will refuse it too: Error"
                        + " parsing command: EOF found when expecting closing quote."));
    }
}
