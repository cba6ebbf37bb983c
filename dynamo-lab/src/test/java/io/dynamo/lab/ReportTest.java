package io.dynamo.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import us.bpsm.edn.Keyword;
import us.bpsm.edn.parser.Parseable;
import us.bpsm.edn.parser.Parser;
import us.bpsm.edn.parser.Parsers;

/** The results directory: replayable CSV, EDN histories an EDN reader accepts, plots with the expected series. */
class ReportTest {
    private static final String SMALL = """
            name = small
            nodes = 4
            strategies = vector-clock, lww
            workload = register
            clients = 4
            keys = 3
            operations = 300
            network.delay = 1ms-8ms
            network.drop = 0.02
            fault.a = at 30% partition node-1 | rest for 30%
            fault.b = at 10% skew node-2 -1s
            """;

    private static List<RunResult> run(ExperimentFile file, Path out) {
        try (Lab lab = new Lab(out.resolve("no-plugins"))) {
            List<RunResult> results = lab.run(file, Progress.SILENT);
            Report.write(out, file, results, lab.notes(file.experiment()));
            return results;
        }
    }

    @Test
    void sameSeedGivesByteIdenticalCsvAndAnotherSeedDiffers(@TempDir Path dir) throws IOException {
        run(ExperimentFile.parse(SMALL, Optional.of(7L)), dir.resolve("a"));
        run(ExperimentFile.parse(SMALL, Optional.of(7L)), dir.resolve("b"));
        run(ExperimentFile.parse(SMALL, Optional.of(8L)), dir.resolve("c"));
        byte[] a = Files.readAllBytes(dir.resolve("a/runs.csv"));
        assertArrayEquals(a, Files.readAllBytes(dir.resolve("b/runs.csv")));
        assertArrayEquals(Files.readAllBytes(dir.resolve("a/pbs.csv")), Files.readAllBytes(dir.resolve("b/pbs.csv")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(dir.resolve("c/runs.csv"))));
    }

    @Test
    void ednHistoriesParseAndMatchTheOperationCounts(@TempDir Path dir) throws IOException {
        List<RunResult> results = run(ExperimentFile.parse(SMALL, Optional.of(3L)), dir);
        for (RunResult r : results) {
            Path edn = dir.resolve("histories").resolve(r.strategy() + "-seed3.edn");
            Parser parser = Parsers.newParser(Parsers.defaultConfiguration());
            Parseable input = Parsers.newParseable(new StringReader(Files.readString(edn)));
            long invokes = 0;
            long ok = 0;
            long fail = 0;
            long info = 0;
            long index = 0;
            for (Object next = parser.nextValue(input); next != Parser.END_OF_INPUT; next = parser.nextValue(input)) {
                Map<?, ?> op = (Map<?, ?>) next;
                assertEquals(index++, op.get(Keyword.newKeyword("index")));
                String type = ((Keyword) op.get(Keyword.newKeyword("type"))).getName();
                switch (type) {
                    case "invoke" -> invokes++;
                    case "ok" -> ok++;
                    case "fail" -> fail++;
                    case "info" -> info++;
                    default -> throw new AssertionError("unknown type " + type);
                }
                assertEquals(2, ((List<?>) op.get(Keyword.newKeyword("value"))).size(), "[key value]");
            }
            assertEquals(r.measure("operations"), invokes);
            assertEquals(r.measure("ok"), ok);
            assertEquals(r.measure("fail"), fail);
            assertEquals(r.measure("info"), info);
            assertEquals(invokes, ok + fail + info, "every invocation completes");
        }
    }

    @Test
    void plotsAreWrittenWithASeriesPerStrategy(@TempDir Path dir) throws IOException {
        ExperimentFile file = ExperimentFile.parse(SMALL + "sweep.key = clients\nsweep.values = 2; 4\n", Optional.of(1L));
        List<RunResult> results = run(file, dir);
        for (String png : List.of("versions-per-read.png", "pbs.png", "sweep-updates_lost.png")) {
            BufferedImage image = ImageIO.read(dir.resolve(png).toFile());
            assertTrue(image.getWidth() > 100 && image.getHeight() > 100, png);
        }
        CategoryChart versions = Report.Plots.versions(results.stream().filter(r -> r.sweep().equals("clients=2")).toList());
        assertEquals(List.of("vector-clock", "lww"), List.copyOf(versions.getSeriesMap().keySet()));
        XYChart sweep = Report.Plots.sweep(file, results, "updates_lost");
        assertEquals(List.of("vector-clock", "lww"), List.copyOf(sweep.getSeriesMap().keySet()));
        assertArrayEquals(new double[] {2, 4}, sweep.getSeriesMap().get("lww").getXData());
        try (Stream<Path> files = Files.list(dir.resolve("histories"))) {
            assertEquals(4, files.count(), "2 sweep points x 2 strategies x 1 seed");
        }
        String summary = Files.readString(dir.resolve("summary.md"));
        assertTrue(summary.contains("| clients=4 | lww |"), summary);
        assertTrue(summary.contains("clock skew does not change vector-clock"), summary);
        assertTrue(Files.readString(dir.resolve("manifest.properties")).contains("code.version"));
    }
}
