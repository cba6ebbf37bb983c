package io.dynamo.core.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.tck.PartitionerContractTest;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The in-process clusters' default partitioner, built with {@link Partitioner#of64Bits}, passes the TCK. */
class DigestPartitionerTest extends PartitionerContractTest {
    @Override
    protected Partitioner createPartitioner() {
        return DigestPartitioner.sha256();
    }

    @Test
    void aNegativePositionIsAnUnsignedToken() {
        Partitioner top = Partitioner.of64Bits(key -> -1L);

        assertEquals(BigInteger.TWO.pow(64).subtract(BigInteger.ONE), top.token(Bytes.utf8("k")));
        assertEquals(-1L, top.position(Bytes.utf8("k")));
        assertEquals(64, top.tokenBits());
    }
}
