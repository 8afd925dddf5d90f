package io.tidegate.cli;

import java.io.PrintWriter;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tidegate} command line: picocli's top command and its subcommands, in this package.
 * {@link io.tidegate.Main} runs it for everything but a bare {@code tidegate serve}.
 */
@Command(
        name = "tidegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Policy gate for Atlantis: who may plan and apply what, when, at what cost.")
public final class TidegateCommand implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class,
            VersionCommand.class, ValidateCommand.class, TestCommand.class, SimulateCommand.class,
            WindowsCommand.class, ReportCommand.class, ReplayCommand.class, WhatIfCommand.class,
            AuditCommand.class, WarmUpCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    private TidegateCommand() {}

    /** Runs the command line the arguments name and returns its exit code. */
    public static int execute(String... args) {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                named(args)).execute(args);
    }

    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, COMMANDS);
    }

    /**
     * Only the subcommand the arguments name, when they name one: picocli builds a command's
     * model by reflection, and building all twelve was a sixth of the server's start-up on the
     * main thread (JFR, issue 19). Anything else (no arguments, {@code help}, an option, an
     * unknown word) gets them all, so usage and errors list every command.
     */
    private static List<Class<?>> named(String... args) {
        if (args.length == 0) {
            return COMMANDS;
        }
        for (Class<?> c : COMMANDS) {
            Command command = c.getAnnotation(Command.class);
            if (c != CommandLine.HelpCommand.class && command.name().equals(args[0])) {
                return List.of(c);
            }
        }
        return COMMANDS;
    }

    private static CommandLine commandLine(PrintWriter out, PrintWriter err,
            List<Class<?>> commands) {
        CommandLine cli = new CommandLine(new TidegateCommand());
        for (Class<?> c : commands) {
            cli.addSubcommand(c);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(TidegateCommand::usageError);
        // every subcommand answers --help (and --version) the same way
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().mixinStandardHelpOptions(true);
        }
        return cli;
    }

    /** A one-line error naming the offending option or value, then the usage; exit 2. */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("error: " + e.getMessage());
        cmd.usage(err);
        return 2;
    }

    @Override
    public void run() {
        // "tidegate" alone: show what it can do.
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
