package io.tidegate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code tidegate version}: the build's version and the Java it runs on. */
@Command(name = "version", description = "Print the Tidegate version.")
public final class VersionCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static String version() {
        try (InputStream in = VersionCommand.class.getResourceAsStream(
                "/tidegate-version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void run() {
        spec.commandLine().getOut().println("tidegate " + version()
                + " (Java " + System.getProperty("java.version") + ")");
    }

    /** Lets {@code tidegate --version} print the same line. */
    public static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"tidegate " + version()};
        }
    }
}
