package io.dynamo.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * Writes a results directory: {@code summary.md} (the headline table, mean ± 95% interval over
 * seeds), {@code runs.csv} (every measure of every run; the same seed gives the same bytes),
 * {@code pbs.csv}, {@code manifest.properties} (experiment, seeds, code version), PNG plots
 * and {@code histories/*.edn}.
 */
public final class Report {
    /** The measures of the headline table. */
    static final List<String> HEADLINE = List.of("updates_lost", "removals_resurrected", "counter_error", "reads_1_version",
            "max_siblings", "stale_reads", "read_your_writes_violations", "convergence_ms", "messages_per_op",
            "latency_p99_ms");

    private Report() {}

    public static void write(Path directory, ExperimentFile file, List<RunResult> results, List<String> notes) {
        try {
            Files.createDirectories(directory.resolve("histories"));
            writeCsv(directory.resolve("runs.csv"), results);
            writePbs(directory.resolve("pbs.csv"), results);
            writeManifest(directory.resolve("manifest.properties"), file);
            Files.writeString(directory.resolve("summary.md"), summary(file, results, notes), StandardCharsets.UTF_8);
            for (RunResult r : results) {
                String name = (r.sweep().isEmpty() ? "" : slug(r.sweep()) + "-") + r.strategy() + "-seed" + r.seed() + ".edn";
                try (Writer out = Files.newBufferedWriter(directory.resolve("histories").resolve(name), StandardCharsets.UTF_8)) {
                    r.history().writeEdn(out);
                }
            }
            Plots.write(directory, file, results);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the results to " + directory, e);
        }
    }

    static String number(double value) {
        return Double.isNaN(value) ? "NaN" : String.format(Locale.ROOT, "%.6f", value);
    }

    static void writeCsv(Path path, List<RunResult> results) throws IOException {
        StringBuilder csv = new StringBuilder("sweep,strategy,seed," + String.join(",", RunResult.MEASURES) + "\n");
        for (RunResult r : results) {
            csv.append(quote(r.sweep())).append(',').append(r.strategy()).append(',').append(r.seed());
            for (String measure : RunResult.MEASURES) {
                csv.append(',').append(number(r.measure(measure)));
            }
            csv.append('\n');
        }
        Files.writeString(path, csv, StandardCharsets.UTF_8);
    }

    private static void writePbs(Path path, List<RunResult> results) throws IOException {
        StringBuilder csv = new StringBuilder("sweep,strategy,seed,t_ms,reads,consistent,probability\n");
        for (RunResult r : results) {
            for (RunResult.PbsPoint p : r.pbs()) {
                csv.append(quote(r.sweep())).append(',').append(r.strategy()).append(',').append(r.seed()).append(',')
                        .append(p.tMillis()).append(',').append(p.reads()).append(',').append(p.consistent()).append(',')
                        .append(number(p.probability())).append('\n');
            }
        }
        Files.writeString(path, csv, StandardCharsets.UTF_8);
    }

    private static void writeManifest(Path path, ExperimentFile file) throws IOException {
        Properties manifest = new Properties();
        Experiment experiment = file.experiment();
        manifest.setProperty("experiment", experiment.name());
        manifest.setProperty("seeds", experiment.seeds().toString());
        manifest.setProperty("strategies", String.join(",", experiment.strategies()));
        manifest.setProperty("sweep", file.sweepKey());
        manifest.setProperty("code.version", codeVersion());
        manifest.setProperty("java.version", System.getProperty("java.version"));
        manifest.setProperty("file", file.text());
        try (Writer out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            manifest.store(out, "dynamo lab run");
        }
    }

    static String codeVersion() {
        Properties p = new Properties();
        try (var in = Report.class.getResourceAsStream("lab.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return p.getProperty("version", "unknown");
    }

    /** Mean ± half-width per (sweep, strategy), over seeds. */
    static Map<String, Map<String, Stats>> aggregate(List<RunResult> results) {
        Map<String, List<RunResult>> groups = new LinkedHashMap<>();
        for (RunResult r : results) {
            groups.computeIfAbsent(r.sweep() + "\u0000" + r.strategy(), k -> new ArrayList<>()).add(r);
        }
        Map<String, Map<String, Stats>> stats = new LinkedHashMap<>();
        groups.forEach((key, runs) -> {
            Map<String, Stats> byMeasure = new LinkedHashMap<>();
            for (String measure : RunResult.MEASURES) {
                byMeasure.put(measure, Stats.of(runs.stream().map(r -> r.measure(measure)).toList()));
            }
            stats.put(key, byMeasure);
        });
        return stats;
    }

    static String summary(ExperimentFile file, List<RunResult> results, List<String> notes) {
        Experiment e = file.experiment();
        StringBuilder md = new StringBuilder("# " + e.name() + "\n\n");
        if (!e.description().isEmpty()) {
            md.append(e.description()).append("\n\n");
        }
        md.append(String.format(Locale.ROOT, "%d nodes, N=%d R=%d W=%d, Q=%d, workload %s, %d clients, %d operations, seeds %s%n%n",
                e.nodes(), e.n(), e.r(), e.w(), e.partitions(), e.workload().label(), e.clients(), e.operations(), e.seeds()));
        for (String note : notes) {
            md.append("Note: ").append(note).append("\n\n");
        }
        boolean sweep = !file.sweepKey().isEmpty();
        md.append("| ").append(sweep ? "sweep | " : "").append("strategy | ").append(String.join(" | ", HEADLINE)).append(" |\n|");
        md.append(" --- |".repeat(HEADLINE.size() + (sweep ? 2 : 1))).append('\n');
        aggregate(results).forEach((key, stats) -> {
            String[] parts = key.split("\u0000", -1);
            md.append("| ").append(sweep ? parts[0].replace("|", "\\|") + " | " : "").append(parts[1]);
            for (String measure : HEADLINE) {
                md.append(" | ").append(format(stats.get(measure)));
            }
            md.append(" |\n");
        });
        md.append("\nMean over seeds ± the 95% interval; every measure of every run is in runs.csv.\n");
        return md.toString();
    }

    private static String format(Stats s) {
        if (Double.isNaN(s.mean())) {
            return "–";
        }
        String mean = String.format(Locale.ROOT, Math.abs(s.mean()) < 1 && s.mean() != 0 ? "%.4f" : "%.1f", s.mean());
        return s.samples() > 1 ? mean + " ± " + String.format(Locale.ROOT, "%.4g", s.halfWidth()) : mean;
    }

    private static String quote(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    static String slug(String text) {
        return text.replaceAll("[^A-Za-z0-9.-]+", "_");
    }

    /** The strategies of {@code results}, in order of appearance. */
    static List<String> strategies(List<RunResult> results) {
        Set<String> names = new LinkedHashSet<>();
        results.forEach(r -> names.add(r.strategy()));
        return List.copyOf(names);
    }

    /** PNG plots drawn with XChart. */
    static final class Plots {
        static final List<String> VERSION_BUCKETS = List.of("1", "2", "3", ">=4");

        private Plots() {}

        static void write(Path directory, ExperimentFile file, List<RunResult> results) throws IOException {
            System.setProperty("java.awt.headless", "true");
            String firstSweep = results.isEmpty() ? "" : results.get(0).sweep();
            List<RunResult> first = results.stream().filter(r -> r.sweep().equals(firstSweep)).toList();
            BitmapEncoder.saveBitmap(versions(first), directory.resolve("versions-per-read").toString(), BitmapEncoder.BitmapFormat.PNG);
            BitmapEncoder.saveBitmap(pbs(results), directory.resolve("pbs").toString(), BitmapEncoder.BitmapFormat.PNG);
            if (!file.sweepKey().isEmpty()) {
                for (String measure : List.of("updates_lost", "removals_resurrected", "stale_reads", "reads_1_version")) {
                    BitmapEncoder.saveBitmap(sweep(file, results, measure), directory.resolve("sweep-" + measure).toString(),
                            BitmapEncoder.BitmapFormat.PNG);
                }
            }
        }

        static CategoryChart versions(List<RunResult> results) {
            CategoryChart chart = new CategoryChartBuilder().width(800).height(500).title("Versions per read")
                    .xAxisTitle("versions a read returned").yAxisTitle("share of reads (%)").build();
            for (String strategy : strategies(results)) {
                List<Double> shares = new ArrayList<>();
                for (String measure : List.of("reads_1_version", "reads_2_versions", "reads_3_versions", "reads_4plus_versions")) {
                    double mean = Stats.of(results.stream().filter(r -> r.strategy().equals(strategy))
                            .map(r -> r.measure(measure)).toList()).mean();
                    shares.add(Double.isNaN(mean) ? 0 : 100 * mean);
                }
                chart.addSeries(strategy, VERSION_BUCKETS, shares);
            }
            return chart;
        }

        static XYChart pbs(List<RunResult> results) {
            XYChart chart = new XYChartBuilder().width(800).height(500).title("PBS: P(read returns the latest acknowledged write)")
                    .xAxisTitle("ms after the write was acknowledged (bin upper edge)").yAxisTitle("probability").build();
            Set<String> series = new LinkedHashSet<>();
            results.forEach(r -> series.add(seriesName(r)));
            for (String name : series) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                for (int bin = 0; bin < Run.PBS_BINS.length; bin++) {
                    long reads = 0;
                    long consistent = 0;
                    for (RunResult r : results) {
                        if (seriesName(r).equals(name)) {
                            reads += r.pbs().get(bin).reads();
                            consistent += r.pbs().get(bin).consistent();
                        }
                    }
                    if (reads > 0) {
                        xs.add((double) Run.PBS_BINS[bin]);
                        ys.add((double) consistent / reads);
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(name, xs, ys);
                }
            }
            return chart;
        }

        /** A PBS series: the strategy, and the sweep point when there are several. */
        private static String seriesName(RunResult r) {
            return r.sweep().isEmpty() ? r.strategy() : r.strategy() + " " + r.sweep();
        }

        static XYChart sweep(ExperimentFile file, List<RunResult> results, String measure) {
            XYChart chart = new XYChartBuilder().width(800).height(500).title(measure + " vs " + file.sweepKey())
                    .xAxisTitle(file.sweepKey()).yAxisTitle(measure + " (mean, 95% interval)").build();
            for (String strategy : strategies(results)) {
                List<Double> xs = new ArrayList<>();
                List<Double> ys = new ArrayList<>();
                List<Double> errors = new ArrayList<>();
                for (ExperimentFile.Point point : file.points()) {
                    Stats s = Stats.of(results.stream().filter(r -> r.strategy().equals(strategy) && r.sweep().equals(point.label()))
                            .map(r -> r.measure(measure)).toList());
                    if (!Double.isNaN(s.mean())) {
                        xs.add(point.x());
                        ys.add(s.mean());
                        errors.add(s.halfWidth());
                    }
                }
                if (!xs.isEmpty()) {
                    chart.addSeries(strategy, xs, ys, errors);
                }
            }
            return chart;
        }
    }
}
