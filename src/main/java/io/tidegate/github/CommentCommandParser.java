package io.tidegate.github;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import io.tidegate.github.CommentCommand.Addressee;
import io.tidegate.github.CommentCommand.Invalid;

/**
 * Reads a pull request comment. Tidegate's own commands are read strictly: words split on
 * spaces, {@code "double"} or {@code 'single'} quotes group words, and nothing else is
 * interpreted; anything unexpected is an {@link Invalid}, never a guess.
 *
 * <ul>
 *   <li>Atlantis: every comment that is not a Tidegate command is read as Atlantis v0.47 reads
 *       it ({@link AtlantisCommentParser}, a port of comment_parser.go): what Atlantis runs,
 *       refuses or ignores is run, refused or ignored here, with the same project, directory
 *       and workspace.</li>
 *   <li>Tidegate: the first line only; {@code tidegate explain [-p P]},
 *       {@code tidegate override --reason "..."} (quoted, non-blank, at most
 *       {@value #MAX_REASON} characters), {@code tidegate help}; and the environment commands
 *       {@code freeze}, {@code unfreeze}, {@code unlock} ({@link EnvironmentArgs}).</li>
 * </ul>
 *
 * Immutable and safe for concurrent use.
 */
public final class CommentCommandParser {
    public static final int MAX_REASON = 500;
    private static final int MAX_QUOTED_COMMAND = 120;

    private final AtlantisCommentParser atlantis;

    /** {@code botName}: the Atlantis bot's GitHub login, with or without {@code @}; "" for none. */
    public CommentCommandParser(String botName) {
        Objects.requireNonNull(botName, "botName == null");
        String name = botName.strip().replaceFirst("^@", "");
        this.atlantis = new AtlantisCommentParser(name.isEmpty() ? "" : "@" + name);
    }

    public CommentCommand parse(String comment) {
        Objects.requireNonNull(comment, "comment == null");
        String text = comment.strip();
        int newline = text.indexOf('\n');
        String firstLine = (newline < 0 ? text : text.substring(0, newline)).strip();
        String[] words = firstLine.split("[ \\t]+", 3);
        if ("tidegate".equals(words[0])) {
            return tidegate(firstLine);
        }
        // Everything else is read exactly as Atlantis reads it.
        return atlantis.parse(comment);
    }

    private static CommentCommand tidegate(String line) {
        try {
            List<CommentToken> tokens = CommentToken.split(line);
            if (tokens.size() < 2) {
                throw new CommandException("no command given.");
            }
            String command = tokens.get(1).text();
            List<CommentToken> args = tokens.subList(2, tokens.size());
            switch (command) {
                case "help":
                    requireNone(args, "help");
                    return new CommentCommand.Help();
                case "explain":
                    return explain(args);
                case "override":
                    return override(args);
                case "freeze":
                    return EnvironmentArgs.freeze(args);
                case "unfreeze":
                    return EnvironmentArgs.unfreeze(args);
                case "unlock":
                    return EnvironmentArgs.unlock(args);
                default:
                    throw new CommandException(quote(command) + " is not a Tidegate "
                            + "command.");
            }
        } catch (CommandException e) {
            return new Invalid(Addressee.TIDEGATE, shorten(line), e.getMessage());
        }
    }

    private static CommentCommand explain(List<CommentToken> args) throws CommandException {
        Optional<String> project = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            Flag flag = Flag.of(args, i);
            if (!flag.is("-p", "--project")) {
                throw unexpected(args.get(i), "explain");
            }
            if (project.isPresent()) {
                throw new CommandException("-p is given twice.");
            }
            project = Optional.of(flag.value());
            i = flag.next() - 1;
        }
        return new CommentCommand.Explain(project);
    }

    private static CommentCommand override(List<CommentToken> args) throws CommandException {
        Optional<String> reason = Optional.empty();
        for (int i = 0; i < args.size(); i++) {
            Flag flag = Flag.of(args, i);
            if (!flag.is("--reason")) {
                throw unexpected(args.get(i), "override");
            }
            if (reason.isPresent()) {
                throw new CommandException("--reason is given twice.");
            }
            reason = Optional.of(reason(flag));
            i = flag.next() - 1;
        }
        return new CommentCommand.WindowOverride(reason.orElseThrow(() -> new CommandException(
                "an override needs a reason: --reason \"why it must go now\".")));
    }

    /** An override is audited: its reason must be deliberate text, so quoted and non-blank. */
    static String reason(Flag flag) throws CommandException {
        CommentToken value = flag.token();
        if (!value.quoted()) {
            throw new CommandException("the reason must be in quotes: --reason \"...\".");
        }
        String reason = value.text().strip();
        if (reason.isEmpty()) {
            throw new CommandException("the reason must not be empty.");
        }
        if (reason.length() > MAX_REASON) {
            throw new CommandException("the reason is " + reason.length()
                    + " characters long; at most " + MAX_REASON + " are allowed.");
        }
        return reason;
    }

    private static void requireNone(List<CommentToken> args, String command)
            throws CommandException {
        if (!args.isEmpty()) {
            throw unexpected(args.get(0), command);
        }
    }

    static CommandException unexpected(CommentToken token, String command) {
        String what = token.text().startsWith("-") && !token.quoted() ? "flag" : "argument";
        return new CommandException("unknown " + what + " " + quote(token.text()) + " for "
                + command + ".");
    }

    /**
     * Text from the comment, in a code span: Markdown shows it literally and an {@code @mention}
     * in it notifies nobody.
     */
    static String quote(String s) {
        return "`" + shorten(s).replace('`', '\'') + "`";
    }

    static String shorten(String s) {
        String oneLine = s.replaceAll("[\\r\\n\\t]+", " ");
        return oneLine.length() <= MAX_QUOTED_COMMAND ? oneLine
                : oneLine.substring(0, MAX_QUOTED_COMMAND) + "…";
    }

    /** One flag at {@code args[index]}, with its value either after '=' or in the next word. */
    record Flag(
            String name, Optional<String> inlineValue, List<CommentToken> args, int index) {
        static Flag of(List<CommentToken> args, int index) throws CommandException {
            CommentToken t = args.get(index);
            if (t.quoted() || !t.text().startsWith("-") || "-".equals(t.text())) {
                throw new CommandException("unexpected argument " + quote(t.text()) + ".");
            }
            int eq = t.text().indexOf('=');
            return eq < 0 ? new Flag(t.text(), Optional.empty(), args, index)
                    : new Flag(t.text().substring(0, eq),
                            Optional.of(t.text().substring(eq + 1)), args, index);
        }

        boolean is(String... names) {
            for (String n : names) {
                if (n.equals(name)) {
                    return true;
                }
            }
            return false;
        }

        boolean isBare() throws CommandException {
            if (inlineValue.isPresent()) {
                throw new CommandException(name + " takes no value.");
            }
            return true;
        }

        /** The value's token (quoted or not); an inline value counts as unquoted. */
        CommentToken token() throws CommandException {
            if (inlineValue.isPresent()) {
                return new CommentToken(inlineValue.get(), false);
            }
            if (index + 1 >= args.size() || isFlagLike(args.get(index + 1))) {
                throw new CommandException(name + " needs a value.");
            }
            return args.get(index + 1);
        }

        String value() throws CommandException {
            String v = token().text();
            if (v.isBlank()) {
                throw new CommandException(name + " needs a value.");
            }
            return v;
        }

        int next() {
            return inlineValue.isPresent() ? index + 1 : index + 2;
        }

        private static boolean isFlagLike(CommentToken t) {
            return !t.quoted() && t.text().startsWith("-") && t.text().length() > 1;
        }
    }

    /** A problem in a comment addressed to us; becomes {@link Invalid#problem()}. */
    static final class CommandException extends Exception {
        CommandException(String message) {
            super(message, null, false, false);
        }
    }
}
