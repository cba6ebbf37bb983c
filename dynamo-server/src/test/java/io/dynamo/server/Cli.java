package io.dynamo.server;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the dynamo command line in this JVM with captured output, as a user would run it. */
final class Cli {
    record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
        }
    }

    private Cli() {}

    static Result run(String... args) {
        return runWithInput(new byte[0], args);
    }

    /** As {@link #run}, with {@code pluginsDirectory} as the distribution's plugins directory. */
    static Result runWithPlugins(java.nio.file.Path pluginsDirectory, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DynamoCli.newCommandLine(Connections.storeOpener(pluginsDirectory),
                transport -> Connections.probe(pluginsDirectory, transport), () -> new java.io.ByteArrayInputStream(new byte[0]),
                pluginsDirectory);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    /** As {@link #run}, with {@code input} as standard input. */
    static Result runWithInput(byte[] input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = DynamoCli.newCommandLine(Connections.storeOpener(), Connections::probe,
                () -> new java.io.ByteArrayInputStream(input));
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
