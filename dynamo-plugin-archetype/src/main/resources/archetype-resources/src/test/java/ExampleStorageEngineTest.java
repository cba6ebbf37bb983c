package ${package};

import io.dynamo.tck.StorageEngineContractTest;
import java.util.Optional;

/**
 * The storage contract, run on engines made by the plugin's factory as a node makes them.
 * A persistent engine overrides {@code persistent()} (and, if it locks its directory,
 * {@code abandon(StorageEngine)} for the crash test), and gives {@code engineSettings()}.
 */
class ExampleStorageEngineTest extends StorageEngineContractTest {
    @Override
    protected Optional<String> engineName() {
        return Optional.of(ExampleStorageEngineFactory.NAME);
    }
}
