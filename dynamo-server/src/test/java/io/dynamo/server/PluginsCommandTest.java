package io.dynamo.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dynamo plugins}: the listing, and {@code --check}'s exit codes. */
class PluginsCommandTest {
    @TempDir Path directory;

    private Path plugins() throws IOException {
        return Files.createDirectories(directory.resolve("plugins"));
    }

    @Test
    void listsEveryPluginWithItsExtensionPointOriginSpiVersionAndSettings() throws IOException {
        Files.writeString(plugins().resolve("README.txt"), "drop plugin jars here\n"); // a document: not reported

        Cli.Result result = Cli.runWithPlugins(plugins(), "plugins");

        assertEquals(0, result.exitCode(), result::toString);
        String out = result.out();
        assertTrue(out.startsWith("name "), out);
        assertLine(out, "md5 +partitioner +\\S+ +class path \\(.*\\) +none");
        assertLine(out, "tcp +transport +\\S+ +class path \\(.*\\) +.*\\bio-threads\\b.*\\bsecret-file\\b.*");
        assertLine(out, "chronicle +storage engine .*entries-per-partition.*");
        assertLine(out, "memory +storage engine .*");
        assertLine(out, "local +transport .* seed");
        assertLine(out, "vector-clock +conflict resolver .*");
        assertLine(out, "dvv +causality scheme .*");
        assertTrue(out.contains("13 plugin factories from the class path and " + plugins().toAbsolutePath()
                + "; 0 broken, 0 not a plugin"), out);
    }

    @Test
    void checkExitsZeroWhenEveryPluginLoads() throws IOException {
        TestJars.copyOfClassPathPlugin("io.dynamo.partitioner.md5.Md5Plugin", directory.resolve("elsewhere.jar"));

        Cli.Result result = Cli.runWithPlugins(plugins(), "plugins", "--check");

        assertEquals(0, result.exitCode(), result::toString);
        assertFalse(result.out().contains("BROKEN"), result::toString);
    }

    @Test
    void checkExitsNonZeroWithABrokenJarAndNamesIt() throws IOException {
        Path broken = TestJars.missingProvider(plugins().resolve("broken.jar"));

        Cli.Result check = Cli.runWithPlugins(plugins(), "plugins", "--check");

        assertEquals(1, check.exitCode(), check::toString);
        assertTrue(check.out().contains("BROKEN " + broken + ": Broken plugin in " + broken), check::toString);
        assertTrue(check.out().contains("com.example.missing.MissingPlugin"), check::toString);
        assertTrue(check.out().contains("md5 "), check::toString); // the others are still listed

        Cli.Result list = Cli.runWithPlugins(plugins(), "plugins"); // without --check: a listing, exit 0
        assertEquals(0, list.exitCode(), list::toString);
        assertTrue(list.out().contains("1 broken"), list::toString);
    }

    @Test
    void checkExitsNonZeroWhenAJarHoldsNoPlugin() throws IOException {
        Path empty = TestJars.noServicesFile(plugins().resolve("forgot-services-file.jar"));

        Cli.Result check = Cli.runWithPlugins(plugins(), "plugins", "--check");

        assertEquals(1, check.exitCode(), check::toString);
        assertTrue(check.out().contains("NOT A PLUGIN " + empty + ": it holds no io.dynamo.spi.DynamoPlugin"), check::toString);
    }

    @Test
    void checkExitsNonZeroWhenTwoPluginsShareAName() throws IOException {
        Path copy = TestJars.copyOfClassPathPlugin("io.dynamo.partitioner.md5.Md5Plugin", plugins().resolve("md5-again.jar"));

        Cli.Result check = Cli.runWithPlugins(plugins(), "plugins", "--check");

        assertEquals(1, check.exitCode(), check::toString);
        assertTrue(check.out().contains("partitioner 'md5' is provided by class path"), check::toString);
        assertTrue(check.out().contains(copy.toString()), check::toString);
    }

    @Test
    void aPluginsDirectoryGivenOnTheCommandLineIsTheOneListed() throws IOException {
        Path other = Files.createDirectories(directory.resolve("other"));
        TestJars.missingProvider(other.resolve("broken.jar"));

        Cli.Result result = Cli.runWithPlugins(plugins(), "plugins", "--check", "--plugins-dir", other.toString());

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().contains(other.resolve("broken.jar").toString()), result::toString);
    }

    @Test
    void nodeListsWhatARunningNodeLoaded() {
        try (InProcessNodes node = InProcessNodes.start(1, directory.resolve("cluster"), java.util.Map.of("storage", "memory"))) {
            Cli.Result result = Cli.run("plugins", "--node", node.nodesOption());

            assertEquals(0, result.exitCode(), result::toString);
            assertLine(result.out(), "md5 +partitioner +\\S+ +class path \\(.*\\) +none");
            assertLine(result.out(), "tcp +transport .*\\bio-threads\\b.*");
            assertTrue(result.out().contains("13 plugin factories loaded by the node at " + node.nodesOption()), result::toString);
        }
    }

    @Test
    void nodeTakesNeitherCheckNorAPluginsDirectory() {
        Cli.Result result = Cli.run("plugins", "--node", "127.0.0.1:7001", "--check");

        assertEquals(2, result.exitCode(), result::toString);
        assertTrue(result.err().contains("--node lists what a running node loaded"), result::toString);
    }

    private static void assertLine(String out, String regex) {
        assertTrue(Pattern.compile("(?m)^" + regex + "$").matcher(out).find(), () -> "no line matching " + regex + " in\n" + out);
    }
}
