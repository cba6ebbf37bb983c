package io.dynamo.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code dynamo lab run} and {@code dynamo lab list} do, so that the CLI stays a thin
 * wrapper: an experiment is a file path or the name of a shipped one.
 */
public final class LabCommandLine {
    /** Exit status of a bad experiment (unknown name or key, impossible setting). */
    public static final int USAGE = 2;
    private static final String SHIPPED = "experiments/";

    private LabCommandLine() {}

    /** A shipped experiment: its name (for {@code dynamo lab run NAME}) and description. */
    public record Shipped(String name, String description) {}

    /** The shipped experiments, in the order of their index. */
    public static List<Shipped> list() {
        List<Shipped> all = new ArrayList<>();
        for (String name : shippedNames()) {
            Properties p = new Properties();
            try {
                p.load(new java.io.StringReader(shipped(name).orElseThrow()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            all.add(new Shipped(name, p.getProperty("description", "")));
        }
        return all;
    }

    /**
     * Runs {@code experiment} into {@code out}; prints the summary. Returns the exit status:
     * 0, or {@link #USAGE} for a bad experiment (the one-line message on {@code err}).
     */
    public static int run(String experiment, Optional<Long> seed, Path out, Path plugins, PrintWriter stdout,
            PrintWriter err, boolean terminal) {
        try (Lab lab = new Lab(plugins)) {
            ExperimentFile file = ExperimentFile.parse(read(experiment), seed);
            for (ExperimentFile.Point point : file.points()) {
                point.experiment().strategies().forEach(lab.strategies()::strategy); // fail before running anything
            }
            List<String> notes = lab.notes(file.experiment());
            notes.forEach(note -> err.println("note: " + note));
            List<RunResult> results = lab.run(file, Progress.to(err, terminal));
            Report.write(out, file, results, notes);
            stdout.print(Report.summary(file, results, notes));
            stdout.println("Results in " + out);
            stdout.flush();
            return 0;
        } catch (LabException e) {
            err.println("dynamo lab: " + e.getMessage());
            err.flush();
            return USAGE;
        }
    }

    private static String read(String experiment) {
        Path path = Path.of(experiment);
        if (Files.isRegularFile(path)) {
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
        return shipped(experiment).orElseThrow(() -> new LabException("no experiment file or shipped experiment '" + experiment
                + "'. Shipped: " + String.join(", ", shippedNames())));
    }

    static Optional<String> shipped(String name) {
        if (!name.matches("[a-z0-9-]+")) {
            return Optional.empty();
        }
        try (InputStream in = LabCommandLine.class.getResourceAsStream(SHIPPED + name + ".properties")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> shippedNames() {
        try (InputStream in = LabCommandLine.class.getResourceAsStream(SHIPPED + "index.properties")) {
            if (in == null) {
                return List.of();
            }
            Properties index = new Properties();
            index.load(in);
            return ExperimentFile.split(index.getProperty("experiments", ""), ",");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
