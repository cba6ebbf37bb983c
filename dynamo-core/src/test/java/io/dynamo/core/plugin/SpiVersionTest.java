package io.dynamo.core.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.dynamo.spi.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class SpiVersionTest {
    @Test
    void pluginJarsDeclareTheVersionTheCodeProvides() throws IOException {
        Properties build = new Properties();
        try (InputStream in = SpiVersionTest.class.getResourceAsStream("/build.properties")) {
            assertNotNull(in, "build.properties is missing from the test class path");
            build.load(in);
        }

        assertEquals(String.valueOf(SpiVersion.CURRENT), build.getProperty("dynamo.spi.version"),
                "the parent pom's dynamo.spi.version (written into plugin jars' manifests) must equal SpiVersion.CURRENT");
    }
}
