package io.dynamo.bench.ycsb;

import static java.util.Objects.requireNonNull;

import io.dynamo.api.Bytes;
import io.dynamo.api.Context;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.InvalidArgumentException;
import io.dynamo.api.QuorumException;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.RequestTimeoutException;
import io.dynamo.api.UnavailableException;
import io.dynamo.api.codec.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.Status;

/**
 * The YCSB operations on records kept in a {@link DynamoStore}, mapped as
 * {@link DynamoYcsbClient} describes. One per binding instance, that is per YCSB client thread
 * (not thread-safe); the store is shared.
 *
 * <p>An insert that times out, misses its quorum or finds no node answering is tried again,
 * {@link YcsbSettings#insertRetries()} times, after a pause that starts at
 * {@link YcsbSettings#insertBackoff()} and doubles: YCSB ends a loading thread at its first
 * failed insert, leaving the rest of that thread's records unloaded. A retry may store the
 * record a second time as a sibling of the first (both with an empty context); the siblings
 * hold the same fields, and reads merge them.
 *
 * <p>Failures are returned as YCSB statuses and logged: the first of each instance at WARN with
 * its cause, later ones at DEBUG; an insert that fails after its retries always at WARN.
 */
final class RecordStore {
    private static final Logger log = LoggerFactory.getLogger(RecordStore.class);

    private final Function<String, DynamoStore> storeOfTable;
    /** The stores of the tables this instance was asked for: one thread's, so a plain map. */
    private final Map<String, DynamoStore> stores = new HashMap<>();
    private final RequestOptions readOptions;
    private final RequestOptions writeOptions;
    private final int insertRetries;
    private final Duration insertBackoff;
    private boolean failureLogged;

    /** Records of every table in {@code store}. */
    RecordStore(DynamoStore store, YcsbSettings settings) {
        this(table -> store, settings);
    }

    /** Records of table T in {@code storeOfTable.apply(T)}. */
    RecordStore(Function<String, DynamoStore> storeOfTable, YcsbSettings settings) {
        this.storeOfTable = requireNonNull(storeOfTable, "storeOfTable is null");
        this.readOptions = new RequestOptions(settings.readQuorum(), settings.timeout());
        this.writeOptions = new RequestOptions(settings.writeQuorum(), settings.timeout());
        this.insertRetries = settings.insertRetries();
        this.insertBackoff = settings.insertBackoff();
    }

    Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        Bytes dynamoKey = dynamoKey(key);
        try {
            ReadResult read = store(table).get(dynamoKey, readOptions);
            if (!read.found()) {
                return Status.NOT_FOUND;
            }
            merged(read).forEach((name, value) -> {
                if (fields == null || fields.contains(name)) {
                    result.put(name, new ByteArrayByteIterator(value));
                }
            });
            return Status.OK;
        } catch (DynamoException e) {
            return failed("read", dynamoKey, e);
        }
    }

    /** A read-modify-write: the get's context makes the put supersede the record it read. */
    Status update(String table, String key, Map<String, ByteIterator> values) {
        Bytes dynamoKey = dynamoKey(key);
        try {
            DynamoStore store = store(table);
            ReadResult read = store.get(dynamoKey, readOptions);
            SortedMap<String, byte[]> record = merged(read);
            record.putAll(fields(values));
            store.put(dynamoKey, RecordCodec.encode(record), read.context(), writeOptions);
            return Status.OK;
        } catch (DynamoException e) {
            return failed("update", dynamoKey, e);
        }
    }

    Status insert(String table, String key, Map<String, ByteIterator> values) {
        Bytes dynamoKey = dynamoKey(key);
        // YCSB's value iterators can be read once: encode before any retry
        Bytes record = RecordCodec.encode(fields(values));
        DynamoStore store;
        try {
            store = store(table);
        } catch (DynamoException e) {
            return failed("insert", dynamoKey, e);
        }
        Duration pause = insertBackoff;
        for (int attempt = 1; ; attempt++) {
            try {
                store.put(dynamoKey, record, Context.EMPTY, writeOptions);
                return Status.OK;
            } catch (RequestTimeoutException | QuorumException | UnavailableException e) {
                if (attempt > insertRetries || !sleep(pause)) {
                    log.warn("insert of {} failed after {} attempt(s), so YCSB ends this loading thread: {}"
                            + " (raise dynamo.insert-retries or dynamo.timeout, or set core_workload_insertion_retry_limit)",
                            dynamoKey.asUtf8(), attempt, e.getMessage());
                    return status(e);
                }
                log.debug("insert of {} failed (attempt {}), retrying: {}", dynamoKey.asUtf8(), attempt, e.getMessage());
                pause = pause.multipliedBy(2);
            } catch (DynamoException e) {
                return failed("insert", dynamoKey, e);
            }
        }
    }

    /** A get and a delete with its context; a key with no live value is {@link Status#NOT_FOUND}. */
    Status delete(String table, String key) {
        Bytes dynamoKey = dynamoKey(key);
        try {
            DynamoStore store = store(table);
            ReadResult read = store.get(dynamoKey, readOptions);
            if (!read.found()) {
                return Status.NOT_FOUND;
            }
            store.delete(dynamoKey, read.context(), writeOptions);
            return Status.OK;
        } catch (DynamoException e) {
            return failed("delete", dynamoKey, e);
        }
    }

    static Bytes dynamoKey(String key) {
        return Bytes.wrapOwned(key.getBytes(StandardCharsets.UTF_8));
    }

    private DynamoStore store(String table) {
        return stores.computeIfAbsent(table, storeOfTable);
    }

    /** The live siblings' fields together; a sibling that is not a YCSB record is an error. */
    static SortedMap<String, byte[]> merged(ReadResult read) {
        SortedMap<String, byte[]> record = new TreeMap<>();
        for (Bytes value : read.values()) {
            try {
                record.putAll(RecordCodec.decode(value));
            } catch (MalformedDataException e) {
                throw new DynamoException("key " + read.key().asUtf8() + " holds a value that is not a YCSB record: " + e.getMessage(), e);
            }
        }
        return record;
    }

    private static SortedMap<String, byte[]> fields(Map<String, ByteIterator> values) {
        SortedMap<String, byte[]> fields = new TreeMap<>();
        values.forEach((name, value) -> fields.put(name, value.toArray()));
        return fields;
    }

    private Status failed(String operation, Bytes key, DynamoException e) {
        if (!failureLogged) {
            failureLogged = true;
            log.warn("{} of {} failed: {} (this client thread logs its further failures at DEBUG)", operation, key.asUtf8(), e.toString());
        } else {
            log.debug("{} of {} failed: {}", operation, key.asUtf8(), e.toString());
        }
        return status(e);
    }

    private static Status status(DynamoException e) {
        if (e instanceof UnavailableException) {
            return Status.SERVICE_UNAVAILABLE;
        }
        if (e instanceof InvalidArgumentException) {
            return Status.BAD_REQUEST;
        }
        return Status.ERROR;
    }

    /** Pauses; false when interrupted (the interrupt is kept for YCSB to see). */
    private static boolean sleep(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
