package io.tidegate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.DataDirException;
import io.tidegate.wiring.Prewarm;
import io.tidegate.wiring.Server;
import io.tidegate.wiring.SecretsManagerEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code tidegate serve}: reads the configuration from the environment (and the Secrets Manager
 * secret {@code TIDEGATE_SECRETS_ARN} names, if any), starts the server and
 * runs until SIGTERM or SIGINT, then shuts down gracefully (stop accepting, finish in-flight
 * requests, close the store).
 */
@Command(name = "serve", description = "Run the Tidegate server (configured by environment variables).")
public final class ServeCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        return serve(spec.commandLine().getErr());
    }

    /**
     * The server, until the JVM is asked to stop; 2 for a bad configuration or data directory.
     * {@code Main} calls this without picocli for a bare {@code tidegate serve}.
     */
    public static int serve(PrintWriter err) throws Exception {
        Prewarm.start(); // [perf] Jackson, the HTTP client, Jetty on the other core meanwhile
        Config config;
        try {
            // Credentials from Secrets Manager fill the gaps the real environment leaves.
            config = Config.from(SecretsManagerEnvironment.resolve(System.getenv()));
        } catch (ConfigException e) {
            err.println("tidegate: " + e.getMessage());
            return 2;
        }
        Server.Running running;
        try {
            running = Server.start(config);
        } catch (DataDirException e) {
            err.println("tidegate: " + e.getMessage());
            return 2;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(running::close, "tidegate-shutdown"));
        // Serve until the JVM is asked to stop; the hook above does the orderly shutdown. Not
        // returning matters: System.exit from here would block while the hook is still running.
        Thread.currentThread().join();
        return 0;
    }
}
