package io.tidegate.github;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import io.tidegate.github.CommentCommandParser.CommandException;
import io.tidegate.github.CommentCommandParser.Flag;

/**
 * The arguments of the environment commands, read as strictly as the others:
 * {@code tidegate freeze ENV [--until WHEN] --reason "..." [--overridable]},
 * {@code tidegate unfreeze ENV}, {@code tidegate unlock ENV --reason "..."}. The environment
 * comes first and is a policy name (letters, digits, {@code . _ -}); whether the policy has it is
 * for the caller to say. {@code --until} is checked for its shape here
 * ({@code 2026-12-27T09:00}, optional seconds, optional {@code Z} or {@code +09:00}); its
 * instant depends on the policy's zone, so the caller resolves it.
 */
final class EnvironmentArgs {
    private static final Pattern ENVIRONMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    private static final Pattern WHEN = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2})?(Z|[+-]\\d{2}:\\d{2})?");

    private EnvironmentArgs() {}

    static CommentCommand freeze(List<CommentToken> args) throws CommandException {
        String env = environment(args, "freeze");
        Optional<String> until = Optional.empty();
        Optional<String> reason = Optional.empty();
        boolean overridable = false;
        for (int i = 1; i < args.size(); i++) {
            Flag flag = Flag.of(args, i);
            if (flag.is("--until")) {
                until = once(until, "--until", when(flag.value()));
            } else if (flag.is("--reason")) {
                reason = once(reason, "--reason", CommentCommandParser.reason(flag));
            } else if (flag.is("--overridable") && flag.isBare()) {
                if (overridable) {
                    throw new CommandException("--overridable is given twice.");
                }
                overridable = true;
                continue;
            } else {
                throw CommentCommandParser.unexpected(args.get(i), "freeze");
            }
            i = flag.next() - 1;
        }
        return new CommentCommand.Freeze(env, until, reason.orElseThrow(() ->
                new CommandException("a freeze needs a reason: --reason \"why\".")),
                overridable);
    }

    static CommentCommand unfreeze(List<CommentToken> args) throws CommandException {
        String env = environment(args, "unfreeze");
        if (args.size() > 1) {
            throw CommentCommandParser.unexpected(args.get(1), "unfreeze");
        }
        return new CommentCommand.Unfreeze(env);
    }

    static CommentCommand unlock(List<CommentToken> args) throws CommandException {
        String env = environment(args, "unlock");
        Optional<String> reason = Optional.empty();
        for (int i = 1; i < args.size(); i++) {
            Flag flag = Flag.of(args, i);
            if (!flag.is("--reason")) {
                throw CommentCommandParser.unexpected(args.get(i), "unlock");
            }
            reason = once(reason, "--reason", CommentCommandParser.reason(flag));
            i = flag.next() - 1;
        }
        return new CommentCommand.Unlock(env, reason.orElseThrow(() ->
                new CommandException("releasing a lock needs a reason: --reason \"why\".")));
    }

    private static String environment(List<CommentToken> args, String command)
            throws CommandException {
        if (args.isEmpty() || args.get(0).text().startsWith("-")) {
            throw new CommandException(command + " needs the environment first: tidegate "
                    + command + " production ...");
        }
        String env = args.get(0).text();
        if (args.get(0).quoted() || !ENVIRONMENT.matcher(env).matches()) {
            throw new CommandException(CommentCommandParser.quote(env) + " is not an "
                    + "environment name.");
        }
        return env;
    }

    private static String when(String value) throws CommandException {
        if (!WHEN.matcher(value).matches()) {
            throw new CommandException("--until must be a date and time such as "
                    + "2026-12-27T09:00 (the policy's zone) or 2026-12-27T09:00+09:00, found "
                    + CommentCommandParser.quote(value) + ".");
        }
        return value;
    }

    private static Optional<String> once(Optional<String> current, String name, String value)
            throws CommandException {
        if (current.isPresent()) {
            throw new CommandException(name + " is given twice.");
        }
        return Optional.of(value);
    }
}
