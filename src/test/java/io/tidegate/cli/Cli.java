package io.tidegate.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;


/** Runs the tidegate command line in-process and keeps what it printed. */
record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = TidegateCommand.commandLine(new PrintWriter(out, true), new PrintWriter(err, true))
                .execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    List<String> lines() {
        return out.lines().toList();
    }
}
