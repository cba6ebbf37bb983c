package io.dynamo.server;

import io.dynamo.api.DynamoException;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.spi.PluginConfig;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * The {@code dynamo} command: the node daemon ({@code server}, {@code join}), the client
 * commands ({@code put}, {@code get}, {@code delete}, {@code status}, {@code hints}), node and
 * cluster metrics ({@code stats}), a local cluster ({@code cluster start|stop}), the load
 * generator ({@code bench}), anti-entropy on demand ({@code repair}), the admin verbs
 * ({@code decommission}, {@code remove --force}, {@code replace}, {@code drain}) and the plugins
 * found ({@code plugins}).
 *
 * <p>Exit codes: 0 success, 1 the request or action failed (cluster unreachable, quorum not
 * met, a node did not start), 2 a usage mistake (unknown option, bad value). Either failure is
 * one line on stderr, never a stack trace.
 */
@Command(name = "dynamo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Dynamo: a Dynamo-style distributed key-value store.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Start a local cluster, write and read a key, stop it:",
                "  dynamo cluster start --nodes 3", "  dynamo put greeting hello", "  dynamo get greeting",
                "  dynamo cluster stop"})
public final class DynamoCli implements Runnable {
    static final int FAILURE = 1;
    static final int USAGE = 2;

    @Spec CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        int status = newCommandLine(Connections.storeOpener(), Connections::probe).execute(args);
        System.exit(status);
    }

    /** The command line, with the given ways to reach a cluster. */
    static CommandLine newCommandLine(StoreOpener opener, java.util.function.Function<PluginConfig, NodeProbe> probes) {
        return newCommandLine(opener, probes, () -> System.in);
    }

    /** The command line, reading standard input ({@code put --value-file -}) from {@code stdin}. */
    static CommandLine newCommandLine(StoreOpener opener, java.util.function.Function<PluginConfig, NodeProbe> probes,
            java.util.function.Supplier<java.io.InputStream> stdin) {
        return newCommandLine(opener, probes, stdin, Connections.pluginsDirectory());
    }

    /** The command line, with {@code pluginsDirectory} as the distribution's plugins directory. */
    static CommandLine newCommandLine(StoreOpener opener, java.util.function.Function<PluginConfig, NodeProbe> probes,
            java.util.function.Supplier<java.io.InputStream> stdin, java.nio.file.Path pluginsDirectory) {
        CommandLine cli = new CommandLine(new DynamoCli());
        cli.addSubcommand("server", new ServerCommand());
        cli.addSubcommand("put", new KeyValueCommands.Put(opener, stdin));
        cli.addSubcommand("get", new KeyValueCommands.Get(opener));
        cli.addSubcommand("delete", new KeyValueCommands.Delete(opener));
        cli.addSubcommand("status", new StatusCommand(probes));
        cli.addSubcommand("stats", new StatsCommand());
        cli.addSubcommand("cluster", new CommandLine(new ClusterCommands())
                .addSubcommand("start", new ClusterCommands.Start(probes))
                .addSubcommand("stop", new ClusterCommands.Stop()));
        cli.addSubcommand("bench", new BenchCommand(opener));
        cli.addSubcommand("repair", new RepairCommand(opener));
        cli.addSubcommand("join", new JoinCommand());
        cli.addSubcommand("decommission", new DecommissionCommand(opener));
        cli.addSubcommand("plugins", new PluginsCommand(pluginsDirectory, probes));
        cli.addSubcommand("remove", new RemoveCommand(opener));
        cli.addSubcommand("replace", new ReplaceCommand(opener));
        cli.addSubcommand("drain", new DrainCommand(opener));
        cli.addSubcommand("hints", new HintsCommand(opener));
        cli.addSubcommand("store", new CommandLine(new StoreCommands())
                .addSubcommand("create", new StoreCommands.Create(opener))
                .addSubcommand("list", new StoreCommands.ListStores(opener))
                .addSubcommand("describe", new StoreCommands.Describe(opener))
                .addSubcommand("drop", new StoreCommands.Drop(opener)));
        cli.addSubcommand("lab", new LabCommand());
        cli.addSubcommand("help", new HelpCommand());
        // Set last: these settings reach only the subcommands added before.
        cli.setExecutionExceptionHandler(new OneLineErrors());
        cli.setParameterExceptionHandler(new UsageErrors());
        return cli;
    }

    /** A user mistake on the command line: the message, a pointer to --help, exit 2. */
    static final class UsageErrors implements IParameterExceptionHandler {
        @Override
        public int handleParseException(ParameterException e, String[] args) {
            CommandLine command = e.getCommandLine();
            PrintWriter err = command.getErr();
            err.println("dynamo: " + e.getMessage() + " (see: " + command.getCommandSpec().qualifiedName() + " --help)");
            err.flush();
            return USAGE;
        }
    }

    /** A failure while a command ran: one line, exit 1 (exit 2 for a bad argument value). */
    static final class OneLineErrors implements IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception e, CommandLine command, ParseResult parseResult) {
            PrintWriter err = command.getErr();
            err.println("dynamo " + command.getCommandName() + ": error: " + describe(e));
            if (!isExpected(e)) {
                e.printStackTrace(err); // a bug, not a user mistake: keep the evidence
            }
            err.flush();
            return e instanceof InvalidArgumentException ? USAGE : FAILURE;
        }

        private static boolean isExpected(Exception e) {
            return e instanceof DynamoException
                    || e instanceof UncheckedIOException
                    || e instanceof IllegalStateException
                    || e instanceof IllegalArgumentException
                    || e instanceof InterruptedException;
        }

        static String describe(Throwable e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            Throwable cause = e.getCause();
            if (e instanceof UncheckedIOException && cause != null && cause.getMessage() != null
                    && !message.contains(cause.getMessage())) {
                message += ": " + cause.getMessage();
            }
            return message;
        }
    }
}
