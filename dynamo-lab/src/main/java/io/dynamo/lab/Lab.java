package io.dynamo.lab;

import io.dynamo.core.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Runs an experiment: every sweep point × strategy × seed, each on a fresh simulated cluster
 * with the same seeded workload and faults. Strategies are resolved by name before anything
 * runs, so an unknown one fails at once.
 */
public final class Lab implements AutoCloseable {
    private final PluginRegistry registry;
    private final Strategies strategies;

    /** A lab whose strategies come from the class path and the plugins directory {@code plugins} (may be missing). */
    public Lab(Path plugins) {
        this.registry = Strategies.registry(plugins);
        this.strategies = new Strategies(registry);
    }

    public Strategies strategies() {
        return strategies;
    }

    /** Notes on settings that do nothing for some strategy (e.g. skew where no strategy reads timestamps). */
    public List<String> notes(Experiment experiment) {
        List<String> notes = new ArrayList<>();
        boolean skewed = experiment.faults().stream().anyMatch(f -> f.fault() instanceof Fault.Skew);
        if (skewed) {
            for (String name : experiment.strategies()) {
                if (!strategies.strategy(name).readsTimestamps()) {
                    notes.add("clock skew does not change " + name + ": it reads no timestamps");
                }
            }
        }
        return notes;
    }

    /** Runs one point of a sweep ({@code sweep} names it, empty without a sweep); {@code progress} gets each completed operation. */
    public List<RunResult> run(Experiment experiment, String sweep, Progress progress) {
        List<Strategy> chosen = experiment.strategies().stream().map(strategies::strategy).toList();
        List<RunResult> results = new ArrayList<>();
        for (Strategy strategy : chosen) {
            for (long seed : experiment.seeds()) {
                IntConsumer ticks = progress.run(strategy.name() + " seed " + seed + (sweep.isEmpty() ? "" : " " + sweep),
                        experiment.operations());
                results.add(new Run(experiment, strategy, strategies, seed, sweep, ticks).execute());
                progress.finished();
            }
        }
        return results;
    }

    /** Runs every point of {@code file} (one, or one per sweep value). */
    public List<RunResult> run(ExperimentFile file, Progress progress) {
        List<RunResult> all = new ArrayList<>();
        for (ExperimentFile.Point point : file.points()) {
            all.addAll(run(point.experiment(), point.label(), progress));
        }
        return all;
    }

    @Override
    public void close() {
        registry.close();
    }
}
