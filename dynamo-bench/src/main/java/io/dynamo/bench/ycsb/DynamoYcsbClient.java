package io.dynamo.bench.ycsb;

import io.dynamo.api.Bytes;
import io.dynamo.api.DynamoException;
import io.dynamo.api.DynamoStore;
import io.dynamo.api.ReadResult;
import io.dynamo.api.RequestOptions;
import io.dynamo.api.UnavailableException;
import io.dynamo.api.codec.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.Vector;
import site.ycsb.ByteArrayByteIterator;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * The Dynamo binding of the YCSB client (YCSB 0.17.0): run the standard YCSB workloads against a
 * Dynamo cluster over TCP.
 *
 * <p>Mapping:
 * <ul>
 *   <li>the Dynamo key is {@code table + "/" + key} (UTF-8);
 *   <li>a record's fields are one value, encoded by {@link RecordCodec};
 *   <li>{@code read} is a get; siblings (concurrent updates) are merged field by field, the
 *       sibling listed last winning a field they disagree on; a key with no live value is
 *       {@link Status#NOT_FOUND};
 *   <li>{@code insert} is a put with an empty context;
 *   <li>{@code update} is a read-modify-write: a get, the new fields laid over the record read,
 *       and a put with the context of that get, so the update supersedes what it read;
 *   <li>{@code delete} is a get and a delete with its context;
 *   <li>{@code scan} is {@link Status#NOT_IMPLEMENTED}: Dynamo has no ordered key range.
 * </ul>
 *
 * <p>Properties ({@code -p name=value}): {@code dynamo.nodes} (host:port,... default
 * 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003), {@code dynamo.timeout} (2s),
 * {@code dynamo.read-quorum} and {@code dynamo.write-quorum} (0 = the cluster's R and W), and
 * {@code dynamo.tcp.<key>} for the tcp transport's own settings (e.g.
 * {@code dynamo.tcp.secret-file}).
 *
 * <p>YCSB makes one {@code DB} per client thread; they share one client per JVM and settings
 * ({@link SharedClients}), so 64 threads do not open 64 transports.
 */
public class DynamoYcsbClient extends DB {
    private SharedClients.Lease lease;
    private RequestOptions readOptions;
    private RequestOptions writeOptions;

    @Override
    public void init() throws DBException {
        try {
            YcsbSettings settings = YcsbSettings.from(getProperties());
            lease = SharedClients.acquire(settings);
            readOptions = new RequestOptions(settings.readQuorum(), settings.timeout());
            writeOptions = new RequestOptions(settings.writeQuorum(), settings.timeout());
        } catch (RuntimeException e) {
            throw new DBException("cannot start the Dynamo client: " + e.getMessage(), e);
        }
    }

    @Override
    public void cleanup() throws DBException {
        if (lease != null) {
            lease.close();
            lease = null;
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        try {
            ReadResult read = store().get(dynamoKey(table, key), readOptions);
            if (!read.found()) {
                return Status.NOT_FOUND;
            }
            merged(read).forEach((name, value) -> {
                if (fields == null || fields.contains(name)) {
                    result.put(name, new ByteArrayByteIterator(value));
                }
            });
            return Status.OK;
        } catch (UnavailableException e) {
            return Status.SERVICE_UNAVAILABLE;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
            Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        try {
            Bytes dynamoKey = dynamoKey(table, key);
            ReadResult read = store().get(dynamoKey, readOptions);
            SortedMap<String, byte[]> record = merged(read);
            values.forEach((name, value) -> record.put(name, value.toArray()));
            store().put(dynamoKey, RecordCodec.encode(record), read.context(), writeOptions);
            return Status.OK;
        } catch (UnavailableException e) {
            return Status.SERVICE_UNAVAILABLE;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        try {
            SortedMap<String, byte[]> record = new TreeMap<>();
            values.forEach((name, value) -> record.put(name, value.toArray()));
            store().put(dynamoKey(table, key), RecordCodec.encode(record), io.dynamo.api.Context.EMPTY, writeOptions);
            return Status.OK;
        } catch (UnavailableException e) {
            return Status.SERVICE_UNAVAILABLE;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    @Override
    public Status delete(String table, String key) {
        try {
            Bytes dynamoKey = dynamoKey(table, key);
            ReadResult read = store().get(dynamoKey, readOptions);
            if (!read.found()) {
                return Status.NOT_FOUND;
            }
            store().delete(dynamoKey, read.context(), writeOptions);
            return Status.OK;
        } catch (UnavailableException e) {
            return Status.SERVICE_UNAVAILABLE;
        } catch (DynamoException e) {
            return Status.ERROR;
        }
    }

    private DynamoStore store() {
        if (lease == null) {
            throw new IllegalStateException("init() was not called or cleanup() already was");
        }
        return lease.store();
    }

    static Bytes dynamoKey(String table, String key) {
        return Bytes.wrapOwned((table + "/" + key).getBytes(StandardCharsets.UTF_8));
    }

    /** The live siblings' fields together; a sibling that is not a YCSB record is an error. */
    static SortedMap<String, byte[]> merged(ReadResult read) {
        SortedMap<String, byte[]> record = new TreeMap<>();
        for (Bytes value : read.values()) {
            try {
                record.putAll(RecordCodec.decode(value));
            } catch (MalformedDataException e) {
                throw new DynamoException("key " + read.key() + " holds a value that is not a YCSB record: " + e.getMessage(), e);
            }
        }
        return record;
    }
}
