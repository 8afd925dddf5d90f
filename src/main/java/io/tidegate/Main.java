package io.tidegate;

import java.io.PrintWriter;

import io.tidegate.cli.ServeCommand;
import io.tidegate.cli.TidegateCommand;

/**
 * The {@code tidegate} program ({@code java -jar tidegate.jar}, {@code bin/tidegate}): a bare
 * {@code tidegate serve} starts the server, anything else goes to the command line
 * ({@link TidegateCommand}, with its subcommands in {@code cli}). The server's parts are built and
 * wired in {@link io.tidegate.wiring.Server#start}.
 *
 * <p>Kept this small on purpose: the launcher looks up {@code main} by reflection, which loads
 * the types of every public method here, and picocli's classes cannot go into the class-data
 * archive (they are Java 5 class files). Before the split, that lookup and this class's
 * list of commands loaded picocli on every start (issue 19).
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 a negative answer, 2 bad input. */
    public static int run(String... args) {
        keepIdleConnections();
        bindLogging();
        if (args.length == 1 && args[0].equals("serve")) {
            return serve();
        }
        return TidegateCommand.execute(args);
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

    /** SLF4J's property naming the provider to use instead of searching the class path. */
    static final String SLF4J_PROVIDER = "slf4j.provider";

    /**
     * Names {@link io.tidegate.logging.LogProvider} to SLF4J, before anything logs: logback
     * configured by {@code LogSetup} without logback's search for a configuration, and without
     * SLF4J's search of the class path for a binding (issue 19). SLF4J reports the property's use
     * on stderr at its INFO level, so its own reports are kept to warnings; either property given
     * with {@code -D} wins.
     */
    static void bindLogging() {
        if (System.getProperty(SLF4J_PROVIDER) == null) {
            System.setProperty(SLF4J_PROVIDER, "io.tidegate.logging.LogProvider");
            if (System.getProperty("slf4j.internal.verbosity") == null) {
                System.setProperty("slf4j.internal.verbosity", "WARN");
            }
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
}
