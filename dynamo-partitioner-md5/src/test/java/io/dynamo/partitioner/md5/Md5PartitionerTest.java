package io.dynamo.partitioner.md5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.partition.Partitioner;
import io.dynamo.tck.PartitionerContractTest;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class Md5PartitionerTest extends PartitionerContractTest {
    @Override
    protected Partitioner createPartitioner() {
        return new Md5PartitionerFactory().create(PluginConfig.empty("md5"), null);
    }

    /** The test suite of RFC 1321, appendix A.5. */
    @ParameterizedTest(name = "MD5(\"{0}\") = {1}")
    @CsvSource(delimiter = '|', emptyValue = "", textBlock = """
            ''                                                                               | d41d8cd98f00b204e9800998ecf8427e
            a                                                                                | 0cc175b9c0f1b6a831c399e269772661
            abc                                                                              | 900150983cd24fb0d6963f7d28e17f72
            message digest                                                                   | f96b697d7cb7938d525a2f31aaf161d0
            abcdefghijklmnopqrstuvwxyz                                                       | c3fcd3d76192e4007dfb496cca67e13b
            ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789                   | d174ab98d277d9f5a5611c2c9f419d9f
            12345678901234567890123456789012345678901234567890123456789012345678901234567890 | 57edf4a22be3c955ac49da2e2107b67a
            """)
    void tokenIsTheMd5DigestOfTheRfc1321TestSuite(String key, String digestHex) {
        BigInteger expected = new BigInteger(1, HexFormat.of().parseHex(digestHex));
        assertEquals(expected, partitioner().token(Bytes.utf8(key)));
        assertEquals(expected.shiftRight(64).longValue(), partitioner().position(Bytes.utf8(key)));
    }

    @Test
    void tokenSpaceIs128Bits() {
        assertEquals(128, partitioner().tokenBits());
    }

    @Test
    void positionKeepsTheSignBitOfLargeDigests() {
        // MD5("a") starts with 0x0c, MD5("message digest") with 0xf9: the latter's position is
        // negative as a signed long and must still be the top 64 bits unsigned.
        long position = partitioner().position(Bytes.utf8("message digest"));
        assertEquals(0xf96b697d7cb7938dL, position);
    }
}
