package io.tidegate.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.tidegate.github.PrivateKeyException;
import io.tidegate.wiring.Config;
import io.tidegate.wiring.ConfigException;
import io.tidegate.wiring.DataDirException;
import io.tidegate.wiring.ListenException;
import io.tidegate.wiring.StoreUnavailableException;
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
    /** How long a stop signal that came during the start waits for it to finish. */
    private static final Duration START_WAIT = Duration.ofSeconds(60);

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
        // The hook is in place before the start: a stop signal that arrives while the server
        // starts, or the moment it listens, waits for the start and then closes it in order.
        // Registered after the start, a signal in between found the JVM already shutting down
        // ("Shutdown in progress") and nothing was closed (seen in CdsArchiveTest under CI).
        CompletableFuture<Server.Running> started = new CompletableFuture<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnceStarted(started, err),
                "tidegate-shutdown"));
        try {
            started.complete(Server.start(config));
        } catch (DataDirException | ListenException | StoreUnavailableException
                | PrivateKeyException e) {
            started.completeExceptionally(e);
            err.println("tidegate: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException | Error e) {
            started.completeExceptionally(e); // the hook must not wait for a start that failed
            throw e;
        }
        // Serve until the JVM is asked to stop; the hook above does the orderly shutdown. Not
        // returning matters: System.exit from here would block while the hook is still running.
        Thread.currentThread().join();
        return 0;
    }

    /** The shutdown hook: closes the server once its start has finished; nothing if it failed. */
    private static void closeOnceStarted(CompletableFuture<Server.Running> started,
            PrintWriter err) {
        Server.Running running;
        try {
            running = started.get(START_WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException notStarted) {
            return; // the start failed and said why; nothing is running
        } catch (TimeoutException e) {
            err.println("tidegate: still starting after " + START_WAIT.toSeconds()
                    + " s when asked to stop; exiting without an orderly shutdown");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        running.close();
    }
}
