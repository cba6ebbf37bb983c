package io.dynamo.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.QuorumException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.api.UnavailableException;
import io.dynamo.spi.PluginConfig;
import io.dynamo.spi.transport.Endpoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import org.junit.jupiter.api.Test;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;

/** How an insert is retried and how failures become YCSB statuses, against a store that fails on cue. */
class RecordStoreTest {
    private static YcsbSettings settings(int insertRetries) {
        return new YcsbSettings(List.of(new Endpoint("127.0.0.1:7301")), Duration.ofSeconds(1), 0, 0,
                insertRetries, Duration.ZERO, PluginConfig.empty("tcp"), false);
    }

    @Test
    void anInsertThatTimesOutOrMissesItsQuorumIsTriedAgain() {
        FailingStore store = new FailingStore(new RequestTimeoutException("no answer"),
                new QuorumException("put", 2, 1, 3), new UnavailableException("no node answered"));
        assertEquals(Status.OK, new RecordStore(store, settings(3)).insert("t", "k", fields()));
        assertEquals(4, store.puts);
    }

    @Test
    void anInsertFailsOnceItsRetriesAreSpent() {
        FailingStore store = new FailingStore(new RequestTimeoutException("no answer"), new RequestTimeoutException("no answer"));
        assertEquals(Status.ERROR, new RecordStore(store, settings(1)).insert("t", "k", fields()));
        assertEquals(2, store.puts);
    }

    @Test
    void anInsertTheStoreRefusesIsNotRetried() {
        FailingStore store = new FailingStore(new InvalidArgumentException("value too large"));
        assertEquals(Status.BAD_REQUEST, new RecordStore(store, settings(3)).insert("t", "k", fields()));
        assertEquals(1, store.puts);
    }

    @Test
    void otherOperationsReportFailuresWithoutRetrying() {
        FailingStore store = new FailingStore(new UnavailableException("no node answered"), new RequestTimeoutException("no answer"));
        RecordStore records = new RecordStore(store, settings(3));
        assertEquals(Status.SERVICE_UNAVAILABLE, records.read("t", "k", null, new java.util.HashMap<>()));
        assertEquals(Status.ERROR, records.update("t", "k", fields()));
        assertEquals(2, store.gets);
    }

    @Test
    void settingsDefaultToTheCommandLineTimeoutAndFiveInsertRetries() {
        YcsbSettings defaults = YcsbSettings.from(new Properties());
        assertEquals(Duration.ofSeconds(5), defaults.timeout());
        assertEquals(5, defaults.insertRetries());
        assertEquals(Duration.ofMillis(200), defaults.insertBackoff());

        Properties properties = new Properties();
        properties.setProperty("dynamo.insert-retries", "0");
        properties.setProperty("dynamo.timeout", "750ms");
        properties.setProperty("dynamo.tcp.io-threads", "1");
        YcsbSettings given = YcsbSettings.from(properties);
        assertEquals(0, given.insertRetries());
        assertEquals(Duration.ofMillis(750), given.timeout());
        assertEquals(Map.of("io-threads", "1"), given.transport().asMap());
    }

    private static Map<String, site.ycsb.ByteIterator> fields() {
        return StringByteIterator.getByteIteratorMap(Map.of("field0", "value"));
    }

    /** Throws the given failures one per call, in order, then succeeds; a get finds nothing. */
    private static final class FailingStore implements DynamoStore {
        private final Queue<RuntimeException> failures;
        int puts;
        int gets;

        FailingStore(RuntimeException... failures) {
            this.failures = new ArrayDeque<>(List.of(failures));
        }

        private void next() {
            RuntimeException failure = failures.poll();
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public ReadResult get(Bytes key, RequestOptions options) {
            gets++;
            next();
            return new ReadResult(key, List.of(), Context.EMPTY);
        }

        @Override
        public Context put(Bytes key, Bytes value, Context context, RequestOptions options) {
            puts++;
            next();
            return Context.EMPTY;
        }

        @Override
        public Context delete(Bytes key, Context context, RequestOptions options) {
            next();
            return Context.EMPTY;
        }

        @Override
        public void close() {}
    }
}
