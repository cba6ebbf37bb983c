package io.dynamo.tck;

import io.dynamo.api.Bytes;
import io.dynamo.spi.partition.Partitioner;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The partitioner contract passes the JDK's MD5 and catches each planted fault. */
class PartitionerContractSelfTest {
    static class JdkMd5 implements Partitioner {
        byte[] digest(Bytes key) {
            try {
                return MessageDigest.getInstance("MD5").digest(key.toByteArray());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public int tokenBits() {
            return 128;
        }

        @Override
        public BigInteger token(Bytes key) {
            return new BigInteger(1, digest(key));
        }
    }

    static class Correct extends PartitionerContractTest {
        @Override
        protected Partitioner createPartitioner() {
            return new JdkMd5();
        }
    }

    static class PositionFromTheLowBits extends PartitionerContractTest {
        @Override
        protected Partitioner createPartitioner() {
            return new JdkMd5() {
                @Override
                public long position(Bytes key) {
                    return token(key).longValue();
                }
            };
        }
    }

    static class SignedTokens extends PartitionerContractTest {
        @Override
        protected Partitioner createPartitioner() {
            return new JdkMd5() {
                @Override
                public BigInteger token(Bytes key) {
                    return new BigInteger(digest(key));
                }
            };
        }
    }

    static class KeyBytesAsToken extends PartitionerContractTest {
        @Override
        protected Partitioner createPartitioner() {
            return new JdkMd5() {
                @Override
                public BigInteger token(Bytes key) {
                    return new BigInteger(1, Arrays.copyOf(key.toByteArray(), 16));
                }
            };
        }
    }

    static class SeededPerProcess extends PartitionerContractTest {
        @Override
        protected Partitioner createPartitioner() {
            return new SelfTestPlugin.SeededPerProcess();
        }
    }

    @Test
    void aCorrectPartitionerPasses() {
        ContractRun.of(Correct.class).assertAllPassed();
    }

    @Test
    void aPositionThatIsNotTheTopBitsIsCaught() {
        ContractRun.of(PositionFromTheLowBits.class).assertFailed("positionIsTheTop64BitsOfTheToken");
    }

    @Test
    void negativeTokensAreCaught() {
        ContractRun.of(SignedTokens.class).assertFailed("tokensLieInTheTokenSpace");
    }

    @Test
    void anUnhashedTokenIsCaughtByTheSpreadTests() {
        ContractRun.of(KeyBytesAsToken.class).assertFailed(
                "textKeysSpreadEvenlyOverTheTopBits", "sequentialNumericKeysSpreadEvenlyOverTheTopBits", "distinctKeysGetDistinctPositions");
    }

    @Test
    void aCorrectPartitionerPassesAcrossClassLoaders() {
        ContractRun.of(Correct.class).assertPassed("instancesLoadedInSeparateClassLoadersPlaceKeysAlike");
    }

    @Test
    void aHashSeededPerProcessIsCaught() {
        ContractRun run = ContractRun.of(SeededPerProcess.class);
        run.assertFailed("instancesLoadedInSeparateClassLoadersPlaceKeysAlike");
        run.assertPassed("sameKeySameTokenAcrossInstances");
    }
}
