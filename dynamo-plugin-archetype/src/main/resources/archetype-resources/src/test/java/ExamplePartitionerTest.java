package ${package};

import io.dynamo.spi.partition.Partitioner;
import io.dynamo.tck.PartitionerContractTest;
import java.util.Optional;

/** The partitioner contract, including two copies loaded in class loaders of their own. */
class ExamplePartitionerTest extends PartitionerContractTest {
    @Override
    protected Partitioner createPartitioner() {
        return new ExamplePartitioner();
    }

    @Override
    protected Optional<String> partitionerName() {
        return Optional.of(ExamplePartitionerFactory.NAME);
    }
}
