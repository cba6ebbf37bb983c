package io.dynamo.server;

import io.dynamo.lab.LabCommandLine;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code dynamo lab}: the resolution lab (dynamo-lab) on the simulated network; this file only wires it. */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Compare conflict-resolution strategies under a seeded workload and faults on the simulated"
                + " network (see dynamo-lab/README.md).",
        subcommands = {LabCommand.Run.class, LabCommand.ListExperiments.class})
final class LabCommand {
    @Command(name = "run", mixinStandardHelpOptions = true,
            description = "Run an experiment (a file, or a shipped one by name) and write its results directory.")
    static final class Run implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Parameters(paramLabel = "EXPERIMENT", description = "An experiment file, or the name of a shipped experiment.")
        String experiment;

        @Option(names = "--seed", paramLabel = "S", description = "Run this seed only, instead of the file's seeds.")
        Long seed;

        @Option(names = "--out", paramLabel = "DIR", description = "The results directory (default: lab-results/NAME).")
        Path out;

        @Option(names = "--plugins", paramLabel = "DIR", defaultValue = "plugins",
                description = "Where more resolver and causality plugins are (default: ${DEFAULT-VALUE}).")
        Path plugins;

        @Override
        public Integer call() {
            Path directory = out != null ? out
                    : Path.of("lab-results", Path.of(experiment).getFileName().toString().replaceFirst("\\.properties$", ""));
            return LabCommandLine.run(experiment, Optional.ofNullable(seed), directory, plugins, spec.commandLine().getOut(),
                    spec.commandLine().getErr(), System.console() != null);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the shipped experiments.")
    static final class ListExperiments implements Runnable {
        @Spec CommandSpec spec;

        @Override
        public void run() {
            for (LabCommandLine.Shipped experiment : LabCommandLine.list()) {
                spec.commandLine().getOut().printf("%-28s %s%n", experiment.name(), experiment.description());
            }
            spec.commandLine().getOut().flush();
        }
    }
}
