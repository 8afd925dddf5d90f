package io.tidegate;

import java.io.PrintWriter;
import java.util.List;

import io.tidegate.cli.AuditCommand;
import io.tidegate.cli.ReplayCommand;
import io.tidegate.cli.ReportCommand;
import io.tidegate.cli.WhatIfCommand;
import io.tidegate.cli.ServeCommand;
import io.tidegate.cli.SimulateCommand;
import io.tidegate.cli.TestCommand;
import io.tidegate.cli.ValidateCommand;
import io.tidegate.cli.VersionCommand;
import io.tidegate.cli.WarmUpCommand;
import io.tidegate.cli.WindowsCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code tidegate} program ({@code java -jar tidegate.jar}, {@code bin/tidegate}): the
 * command line and its subcommands in {@code cli}. The server's parts are built and wired in
 * {@link io.tidegate.wiring.Server#start}; nothing depends on this class, so it may depend on
 * every command without closing a package cycle.
 */
@Command(
        name = "tidegate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionCommand.Provider.class,
        description = "Policy gate for Atlantis: who may plan and apply what, when, at what cost.")
public final class Main implements Runnable {
    /** The subcommands, in the order the usage lists them. */
    private static final List<Class<?>> COMMANDS = List.of(ServeCommand.class,
            VersionCommand.class, ValidateCommand.class, TestCommand.class, SimulateCommand.class,
            WindowsCommand.class, ReportCommand.class, ReplayCommand.class, WhatIfCommand.class,
            AuditCommand.class, WarmUpCommand.class, CommandLine.HelpCommand.class);

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 a negative answer, 2 bad input. */
    public static int run(String... args) {
        keepIdleConnections();
        if (args.length == 1 && args[0].equals("serve")) {
            return serve();
        }
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                named(args)).execute(args);
    }

    /** Idle connections kept per host by the JDK's {@code HttpURLConnection}: see below. */
    static final int IDLE_CONNECTIONS_PER_HOST = 32;

    /**
     * Lets the JDK keep more idle connections per host than its default 5. Every AWS client
     * (DynamoDB, SNS, CloudWatch, Secrets Manager) runs over the SDK's
     * {@code UrlConnectionHttpClient}, that is over {@code HttpURLConnection}, whose keep-alive
     * cache closes a returned connection once it holds {@code http.maxConnections} for that host
     * (JDK 17, {@code sun.net.www.http.KeepAliveCache}; read once, when the first connection is
     * kept, so it is set before anything else runs). Beyond 5 concurrent store calls every call
     * opened a new connection, a TLS handshake each against DynamoDB: at 16 concurrent webhook
     * deliveries on DynamoDB Local, 95 connections were closed in 20 s, and 5 with 32. A value
     * given with {@code -Dhttp.maxConnections} wins. (Not in the AWS wiring: loading it would load
     * the SDK's classes at every start.)
     */
    static void keepIdleConnections() {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(IDLE_CONNECTIONS_PER_HOST));
        }
    }

    /**
     * A bare {@code tidegate serve} skips picocli: its model of even one command is built by
     * reflection (0.15-0.19 s of the main thread at start-up, issue 19), and {@code serve} has
     * no option to parse. A failure ends as picocli's would: the stack trace, exit code 1.
     */
    private static int serve() {
        PrintWriter err = new PrintWriter(System.err, true);
        try {
            return ServeCommand.serve(err);
        } catch (Exception e) {
            e.printStackTrace(err);
            return 1;
        }
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
        CommandLine cli = new CommandLine(new Main());
        for (Class<?> c : commands) {
            cli.addSubcommand(c);
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler(Main::usageError);
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
