package ${package};

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.spi.SpiVersion;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The SPI version the build writes into the manifest is the one of the API compiled against. */
class SpiVersionTest {
    @Test
    void manifestVersionIsTheApisVersion() throws IOException {
        Properties build = new Properties();
        try (InputStream in = SpiVersionTest.class.getResourceAsStream("/build.properties")) {
            build.load(in);
        }
        assertEquals(String.valueOf(SpiVersion.CURRENT), build.getProperty("dynamo.spi.version"),
                "set the pom's dynamo.spi.version to io.dynamo.spi.SpiVersion.CURRENT of dynamo.version");
    }
}
