package io.dynamo.bench.ycsb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dynamo.server.InProcessNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.Set;
import java.util.TreeMap;
import java.util.Vector;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;
import site.ycsb.ByteIterator;
import site.ycsb.ClientThread;
import site.ycsb.DB;
import site.ycsb.DBException;
import site.ycsb.Status;
import site.ycsb.StringByteIterator;
import site.ycsb.measurements.Measurements;
import site.ycsb.workloads.CoreWorkload;

/**
 * The binding against three real nodes on 127.0.0.1 (tcp transport, memory storage), driven as
 * YCSB's {@code site.ycsb.Client} drives it: a {@link CoreWorkload} and YCSB's own
 * {@link ClientThread}s, each with its {@link DynamoYcsbClient}.
 */
class DynamoYcsbClientTest {
    private static final int THREADS = 4;
    private static final int RECORDS = 200;
    private static final int OPERATIONS = 800;
    /** Generous, so that a busy machine slows the test down rather than failing it. */
    private static final String TIMEOUT = "10s";

    @TempDir
    static Path directory;
    private static InProcessNodes nodes;

    @BeforeAll
    static void startNodes() {
        nodes = InProcessNodes.start(3, directory,
                Map.of("storage", "memory", "cluster.partitions", "16", "replication.timeout", TIMEOUT,
                        "store.coreworkload.resolver", "vector-clock"));
    }

    @AfterAll
    static void stopNodes() {
        if (nodes != null) {
            nodes.close();
        }
    }

    /**
     * Once with reads through the nodes into the store {@code coreworkload} (YCSB's table is the
     * store), once with reads the client coordinates ({@code dynamo.client-reads}) into the default
     * store, which YCSB's default table {@code usertable} names.
     */
    @ParameterizedTest(name = "client-reads={0}")
    @ValueSource(booleans = {false, true})
    void loadAndTransactionPhasesOfACoreWorkloadSucceedAndKeepEveryRecord(boolean clientReads) throws Exception {
        String table = clientReads ? "usertable" : "coreworkload";
        Properties properties = bindingProperties();
        properties.setProperty("dynamo.client-reads", String.valueOf(clientReads));
        properties.setProperty("table", table);
        properties.setProperty("recordcount", String.valueOf(RECORDS));
        properties.setProperty("operationcount", String.valueOf(OPERATIONS));
        properties.setProperty("fieldcount", "3");
        properties.setProperty("fieldlength", "20");
        properties.setProperty("readallfields", "true");
        // an update writes one field: the read-modify-write must keep the other two
        properties.setProperty("writeallfields", "false");
        // every value written is a function of its key and field, so any read can be checked
        properties.setProperty("dataintegrity", "true");
        properties.setProperty("readproportion", "0.5");
        properties.setProperty("updateproportion", "0.5");
        properties.setProperty("scanproportion", "0");
        properties.setProperty("insertproportion", "0");
        properties.setProperty("requestdistribution", "zipfian");
        properties.setProperty("insertorder", "hashed");
        Measurements.setProperties(properties);
        CoreWorkload workload = new CoreWorkload();
        workload.init(properties);
        Outcomes outcomes = new Outcomes();

        runPhase(false, workload, properties, RECORDS, outcomes);
        assertEquals(List.of(), List.copyOf(outcomes.failures), "failed operations in the load phase");
        assertEquals(RECORDS, outcomes.operations.get(), "inserts");
        assertEquals(RECORDS, outcomes.records.size(), "distinct records inserted");

        runPhase(true, workload, properties, OPERATIONS, outcomes);
        assertEquals(List.of(), List.copyOf(outcomes.failures), "failed operations in the transaction phase");
        assertEquals(RECORDS + OPERATIONS, outcomes.operations.get(), "inserts, reads and updates");
        assertTrue(outcomes.reads.get() > 0, "the transaction phase read");
        assertEquals(List.of(), List.copyOf(outcomes.mismatches), "reads that returned other data than was written");

        DynamoYcsbClient db = binding(properties);
        try {
            outcomes.records.forEach((key, written) -> {
                Map<String, ByteIterator> read = new HashMap<>();
                assertEquals(Status.OK, db.read(table, key, null, read), key);
                assertEquals(written, strings(read), key);
            });
        } finally {
            db.cleanup();
        }
        workload.cleanup();
    }

    @Test
    void updateKeepsTheOtherFieldsAndDeleteRemovesTheRecord() throws DBException {
        DynamoYcsbClient db = binding(bindingProperties());
        try {
            assertEquals(Status.OK, db.insert("usertable", "k", StringByteIterator.getByteIteratorMap(Map.of("a", "1", "b", "2"))));
            assertEquals(Status.OK, db.update("usertable", "k", StringByteIterator.getByteIteratorMap(Map.of("b", "3", "c", "4"))));

            Map<String, ByteIterator> all = new HashMap<>();
            assertEquals(Status.OK, db.read("usertable", "k", null, all));
            assertEquals(Map.of("a", "1", "b", "3", "c", "4"), strings(all));
            Map<String, ByteIterator> some = new HashMap<>();
            assertEquals(Status.OK, db.read("usertable", "k", Set.of("c"), some));
            assertEquals(Map.of("c", "4"), strings(some));

            assertEquals(Status.OK, db.delete("usertable", "k"));
            assertEquals(Status.NOT_FOUND, db.read("usertable", "k", null, new HashMap<>()));
            assertEquals(Status.NOT_FOUND, db.delete("usertable", "k"));
            assertEquals(Status.NOT_IMPLEMENTED, db.scan("usertable", "k", 10, null, new Vector<>()));
        } finally {
            db.cleanup();
        }
    }

    @Test
    void theTableIsTheStore() throws DBException {
        DynamoYcsbClient db = binding(bindingProperties());
        try {
            Map<String, ByteIterator> fields = StringByteIterator.getByteIteratorMap(Map.of("a", "1"));
            assertEquals(Status.OK, db.insert("coreworkload", "only-here", fields));
            assertEquals(Status.OK, db.read("coreworkload", "only-here", null, new HashMap<>()));
            assertEquals(Status.NOT_FOUND, db.read("usertable", "only-here", null, new HashMap<>()), "another store");
            // a table that names no store: the request is refused, the client goes on
            Status unknown = db.insert("nosuchstore", "k", StringByteIterator.getByteIteratorMap(Map.of("a", "1")));
            assertFalse(unknown.isOk(), unknown.toString());
            assertEquals(Status.OK, db.read("coreworkload", "only-here", null, new HashMap<>()));
        } finally {
            db.cleanup();
        }
    }

    private static Properties bindingProperties() {
        Properties properties = new Properties();
        properties.setProperty("dynamo.nodes", nodes.nodesOption());
        properties.setProperty("dynamo.timeout", TIMEOUT);
        return properties;
    }

    private static DynamoYcsbClient binding(Properties properties) throws DBException {
        DynamoYcsbClient db = new DynamoYcsbClient();
        db.setProperties(properties);
        db.init();
        return db;
    }

    /** One YCSB phase as {@code site.ycsb.Client} runs it: a ClientThread per DB, the operations split between them. */
    private static void runPhase(boolean transactions, CoreWorkload workload, Properties properties, int operations,
            Outcomes outcomes) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(THREADS);
        List<Thread> threads = new ArrayList<>();
        for (int id = 0; id < THREADS; id++) {
            CheckingDb db = new CheckingDb(outcomes);
            db.setProperties(properties);
            int share = operations / THREADS + (id < operations % THREADS ? 1 : 0);
            ClientThread client = new ClientThread(db, transactions, workload, properties, share, -1, done);
            client.setThreadId(id);
            client.setThreadCount(THREADS);
            Thread thread = new Thread(client, "ycsb-client-" + id);
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertFalse(thread.isAlive(), thread.getName() + " still running after 60 s");
        }
        assertEquals(0, done.getCount(), "client threads that did not finish (a failed init() ends one early)");
    }

    private static Map<String, String> strings(Map<String, ByteIterator> fields) {
        Map<String, String> strings = new TreeMap<>();
        fields.forEach((name, value) -> strings.put(name, new String(value.toArray(), StandardCharsets.UTF_8)));
        return strings;
    }

    /** What the checking DBs saw, across threads. */
    private static final class Outcomes {
        final AtomicInteger operations = new AtomicInteger();
        final AtomicInteger reads = new AtomicInteger();
        final Queue<String> failures = new ConcurrentLinkedQueue<>();
        final Queue<String> mismatches = new ConcurrentLinkedQueue<>();
        /** Every record inserted, by key. With dataintegrity, updates write the same values again. */
        final Map<String, Map<String, String>> records = new ConcurrentHashMap<>();

        void count(String operation, String key, Status status) {
            operations.incrementAndGet();
            if (!status.isOk()) {
                failures.add(operation + " " + key + ": " + status);
            }
        }
    }

    /**
     * The binding, with every status counted, every inserted record kept and every read
     * compared with the record inserted under its key. (YCSB's value iterators can be read
     * once: what is written is read into strings, and the binding gets fresh iterators.)
     */
    private static final class CheckingDb extends DB {
        private final DynamoYcsbClient binding = new DynamoYcsbClient();
        private final Outcomes outcomes;

        CheckingDb(Outcomes outcomes) {
            this.outcomes = outcomes;
        }

        @Override
        public void init() throws DBException {
            binding.setProperties(getProperties());
            binding.init();
        }

        @Override
        public void cleanup() throws DBException {
            binding.cleanup();
        }

        @Override
        public Status read(String table, String key, Set<String> fields, Map<String, ByteIterator> result) {
            Status status = binding.read(table, key, fields, result);
            outcomes.count("read", key, status);
            outcomes.reads.incrementAndGet();
            if (status.isOk()) {
                Map<String, String> read = strings(result);
                // the iterators are used up: give YCSB fresh ones
                read.forEach((name, value) -> result.put(name, new StringByteIterator(value)));
                Map<String, String> expected = new TreeMap<>(outcomes.records.getOrDefault(key, Map.of()));
                if (fields != null) {
                    expected.keySet().retainAll(fields);
                }
                if (!expected.equals(read)) {
                    outcomes.mismatches.add(key + ": read " + read + ", inserted " + expected);
                }
            }
            return status;
        }

        @Override
        public Status scan(String table, String startKey, int count, Set<String> fields,
                Vector<HashMap<String, ByteIterator>> result) {
            Status status = binding.scan(table, startKey, count, fields, result);
            outcomes.count("scan", startKey, status);
            return status;
        }

        @Override
        public Status update(String table, String key, Map<String, ByteIterator> values) {
            Status status = binding.update(table, key, StringByteIterator.getByteIteratorMap(strings(values)));
            outcomes.count("update", key, status);
            return status;
        }

        @Override
        public Status insert(String table, String key, Map<String, ByteIterator> values) {
            Map<String, String> record = strings(values);
            outcomes.records.put(key, record);
            Status status = binding.insert(table, key, StringByteIterator.getByteIteratorMap(record));
            outcomes.count("insert", key, status);
            return status;
        }

        @Override
        public Status delete(String table, String key) {
            Status status = binding.delete(table, key);
            outcomes.count("delete", key, status);
            return status;
        }
    }
}
