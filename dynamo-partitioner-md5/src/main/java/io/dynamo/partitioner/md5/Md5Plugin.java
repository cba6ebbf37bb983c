package io.dynamo.partitioner.md5;

import io.dynamo.spi.DynamoPlugin;
import io.dynamo.spi.partition.PartitionerFactory;
import java.util.List;

/** Contributes the {@value #NAME} partitioner: a key's token is its MD5 digest as an unsigned 128-bit number. */
public final class Md5Plugin implements DynamoPlugin {
    /** The name a node config selects this partitioner by. */
    public static final String NAME = "md5";

    @Override
    public List<PartitionerFactory> partitioners() {
        return List.of(new Md5PartitionerFactory());
    }
}
