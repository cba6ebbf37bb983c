package io.dynamo.bench.ycsb;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.Vector;
import site.ycsb.ByteIterator;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;

/**
 * The Dynamo binding of the YCSB client (YCSB 0.17.0): run the standard YCSB workloads against a
 * Dynamo cluster over TCP.
 *
 * <p>Mapping (carried out by {@link RecordStore}):
 * <ul>
 *   <li>YCSB's table is the store ({@code -p table=carts}); its default table, {@code usertable},
 *       is the {@code default} store; the Dynamo key is YCSB's key (UTF-8);
 *   <li>a record's fields are one value, encoded by {@link RecordCodec};
 *   <li>{@code read} is a get; siblings (concurrent updates) are merged field by field, the
 *       sibling listed last winning a field they disagree on; a key with no live value is
 *       {@link Status#NOT_FOUND};
 *   <li>{@code insert} is a put with an empty context, tried again when it times out or misses
 *       its quorum ({@code dynamo.insert-retries});
 *   <li>{@code update} is a read-modify-write: a get, the new fields laid over the record read,
 *       and a put with the context of that get, so the update supersedes what it read;
 *   <li>{@code delete} is a get and a delete with its context;
 *   <li>{@code scan} is {@link Status#NOT_IMPLEMENTED}: Dynamo has no ordered key range.
 * </ul>
 *
 * <p>Properties ({@code -p name=value}): {@code dynamo.nodes} (host:port,... default
 * 127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003), {@code dynamo.timeout} (5s, as the
 * {@code dynamo} command line), {@code dynamo.read-quorum} and {@code dynamo.write-quorum}
 * (0 = the cluster's R and W), {@code dynamo.insert-retries} (5) and {@code dynamo.insert-backoff}
 * (200ms, doubling), {@code dynamo.client-reads} (true: the client coordinates reads, with the
 * partitioner the nodes name; false: a node does), and {@code dynamo.tcp.<key>} for
 * the tcp transport's own settings (e.g.
 * {@code dynamo.tcp.secret-file}).
 *
 * <p>YCSB makes one {@code DB} per client thread; they share one client per JVM and settings
 * ({@link SharedClients}), so 64 threads do not open 64 transports.
 */
public class DynamoYcsbClient extends DB {
    private SharedClients.Lease lease;
    private RecordStore records;

    @Override
    public void init() throws DBException {
        try {
            YcsbSettings settings = YcsbSettings.from(getProperties());
            lease = SharedClients.acquire(settings);
            records = new RecordStore(lease::store, settings);
        } catch (RuntimeException e) {
            throw new DBException("cannot start the Dynamo client: " + e.getMessage(), e);
        }
    }

    @Override
    public void cleanup() throws DBException {
        if (lease != null) {
            lease.close();
            lease = null;
            records = null;
        }
    }

    @Override
    public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
        return records().read(table, key, fields, result);
    }

    @Override
    public Status scan(String table, String startKey, int count, Set<String> fields,
            Vector<HashMap<String, ByteIterator>> result) {
        return Status.NOT_IMPLEMENTED;
    }

    @Override
    public Status update(String table, String key, Map<String, ByteIterator> values) {
        return records().update(table, key, values);
    }

    @Override
    public Status insert(String table, String key, Map<String, ByteIterator> values) {
        return records().insert(table, key, values);
    }

    @Override
    public Status delete(String table, String key) {
        return records().delete(table, key);
    }

    private RecordStore records() {
        if (records == null) {
            throw new IllegalStateException("init() was not called or cleanup() already was");
        }
        return records;
    }
}
