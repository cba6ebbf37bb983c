package io.dynamo.partitioner.md5;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class Md5PartitionerProperties {
    private final Md5Partitioner partitioner = new Md5Partitioner();

    @Property(seed = "1321")
    void tokenAgreesWithTheJdksMd5(@ForAll byte[] key) throws NoSuchAlgorithmException {
        byte[] jdk = MessageDigest.getInstance("MD5").digest(key);
        BigInteger token = partitioner.token(Bytes.of(key));
        assertEquals(new BigInteger(1, jdk), token);
        byte[] padded = new byte[16];
        byte[] magnitude = token.toByteArray();
        int length = Math.min(magnitude.length, 16);
        System.arraycopy(magnitude, magnitude.length - length, padded, 16 - length, length);
        assertArrayEquals(jdk, padded);
    }

    @Property(seed = "1321")
    void positionIsTheTop64BitsOfTheToken(@ForAll byte[] key) {
        Bytes bytes = Bytes.of(key);
        assertEquals(partitioner.token(bytes).shiftRight(64).longValue(), partitioner.position(bytes));
    }
}
