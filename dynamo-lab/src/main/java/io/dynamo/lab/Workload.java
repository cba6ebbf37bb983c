package io.dynamo.lab;

import io.dynamo.api.Bytes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * What clients write and how the result is scored. Every write is a read-modify-write: the
 * client merges the siblings of its last read of the key (the workload's client merge) and
 * writes the next value with that read's context. The workload keeps the ground truth of every
 * write so the run can tell, at the end, which acknowledged updates survived.
 */
interface Workload {
    /** A write's record: its id (invocation order), the token it adds or removes, and its outcome. */
    final class Write {
        final int id;
        final int client;
        final String key;
        final String token;
        final boolean removal;
        final long number;
        long invokeMicros;
        long ackMicros = -1;
        String outcome = "invoke";

        Write(int id, int client, String key, String token, boolean removal, long number) {
            this.id = id;
            this.client = client;
            this.key = key;
            this.token = token;
            this.removal = removal;
            this.number = number;
        }

        boolean acknowledged() {
            return outcome.equals("ok");
        }
    }

    /** The scored end state of a run. */
    record Score(long updatesAcknowledged, long updatesLost, long removalsAcknowledged, long removalsResurrected,
            double counterError) {}

    /** Jepsen's {@code :f} of a write of this workload. */
    String writeF(Write write);

    /** The next write on {@code key} after a read that returned {@code values}; {@code id} is its number. */
    Write plan(int id, int client, String key, List<Bytes> values, SplittableRandom random);

    /** The value {@code write} stores, given the read it is based on. */
    Bytes value(Write write, List<Bytes> values);

    /** Whether a read returning {@code values} shows {@code write} (or a newer state that includes it). */
    boolean reflects(Write write, List<Bytes> values);

    /** The read's values in EDN, as the client sees them after its merge. */
    String edn(List<Bytes> values);

    /** Scores the final values of every key written. */
    Score score(List<Write> writes, Map<String, List<Bytes>> finals);

    /** The workload of {@code kind}, writing values the way {@code model} encodes them. */
    static Workload of(WorkloadKind kind, ValueModel model) {
        return switch (kind) {
            case CART -> new Cart(model);
            case COUNTER -> new Counter(model);
            case REGISTER, ROBOTS -> new Register();
        };
    }

    static Set<String> lines(List<Bytes> values) {
        Set<String> lines = new TreeSet<>();
        for (Bytes value : values) {
            value.asUtf8().lines().filter(line -> !line.isEmpty()).forEach(lines::add);
        }
        return lines;
    }

    /** Each client's actor id for the CRDT values: stable and unique to it. */
    static String actor(int client) {
        return "client-" + client;
    }

    /** Dynamo's cart: the value is a set of items (the model's encoding and merge); 20% of writes remove a seen item. */
    final class Cart implements Workload {
        private final ValueModel model;

        Cart(ValueModel model) {
            this.model = model;
        }

        @Override
        public String writeF(Write write) {
            return write.removal ? "remove" : "add";
        }

        @Override
        public Write plan(int id, int client, String key, List<Bytes> values, SplittableRandom random) {
            List<String> items = new ArrayList<>(model.items(values));
            if (!items.isEmpty() && random.nextInt(100) < 20) {
                return new Write(id, client, key, items.get(random.nextInt(items.size())), true, 0);
            }
            return new Write(id, client, key, "item-" + id, false, 0);
        }

        @Override
        public Bytes value(Write write, List<Bytes> values) {
            return model.cart(actor(write.client), write.key, values, write.token, write.removal);
        }

        @Override
        public boolean reflects(Write write, List<Bytes> values) {
            return model.items(values).contains(write.token) != write.removal;
        }

        @Override
        public String edn(List<Bytes> values) {
            return "#{" + String.join(" ", model.items(values).stream().map(History::string).toList()) + "}";
        }

        @Override
        public Score score(List<Write> writes, Map<String, List<Bytes>> finals) {
            Map<String, Set<String>> removedMaybe = new HashMap<>();
            for (Write w : writes) {
                if (w.removal && !w.outcome.equals("fail")) {
                    removedMaybe.computeIfAbsent(w.key, k -> new HashSet<>()).add(w.token);
                }
            }
            long adds = 0;
            long lost = 0;
            long removals = 0;
            long resurrected = 0;
            for (Write w : writes) {
                if (!w.acknowledged()) {
                    continue; // undetermined or failed: neither its absence nor its presence is an anomaly
                }
                Set<String> present = model.items(finals.getOrDefault(w.key, List.of()));
                if (w.removal) {
                    removals++;
                    if (present.contains(w.token)) {
                        resurrected++;
                    }
                } else {
                    adds++;
                    if (!present.contains(w.token) && !removedMaybe.getOrDefault(w.key, Set.of()).contains(w.token)) {
                        lost++;
                    }
                }
            }
            return new Score(adds, lost, removals, resurrected, Double.NaN);
        }
    }

    /**
     * Increments of a counter (the model's encoding and merge: a decimal number merged by max, so
     * concurrent increments can vanish, or a PN-counter, where none do).
     */
    final class Counter implements Workload {
        private final ValueModel model;

        Counter(ValueModel model) {
            this.model = model;
        }

        @Override
        public String writeF(Write write) {
            return "incr";
        }

        private long max(List<Bytes> values) {
            return model.count(values);
        }

        @Override
        public Write plan(int id, int client, String key, List<Bytes> values, SplittableRandom random) {
            return new Write(id, client, key, "incr-" + id, false, max(values) + 1);
        }

        @Override
        public Bytes value(Write write, List<Bytes> values) {
            return model.counter(actor(write.client), write.key, values, 1);
        }

        @Override
        public boolean reflects(Write write, List<Bytes> values) {
            return max(values) >= write.number;
        }

        @Override
        public String edn(List<Bytes> values) {
            return Long.toString(max(values));
        }

        @Override
        public Score score(List<Write> writes, Map<String, List<Bytes>> finals) {
            Map<String, long[]> perKey = new HashMap<>(); // acknowledged, undetermined
            for (Write w : writes) {
                long[] counts = perKey.computeIfAbsent(w.key, k -> new long[2]);
                if (w.acknowledged()) {
                    counts[0]++;
                } else if (w.outcome.equals("info")) {
                    counts[1]++;
                }
            }
            long acknowledged = 0;
            long lost = 0;
            double error = 0;
            for (Map.Entry<String, long[]> e : perKey.entrySet()) {
                long value = max(finals.getOrDefault(e.getKey(), List.of()));
                long[] counts = e.getValue();
                acknowledged += counts[0];
                lost += Math.max(0, counts[0] - value);
                error += value < counts[0] ? counts[0] - value : Math.max(0, value - counts[0] - counts[1]);
            }
            return new Score(acknowledged, lost, 0, 0, error);
        }
    }

    /**
     * A register: each write stores a new unique value {@code w<id>}; siblings (or a resolver's
     * union of them) merge to the highest id. An acknowledged write is lost when no final value
     * descends from it: neither is it, nor did the writer of a final value (or of one of its
     * ancestors) read it.
     */
    final class Register implements Workload {
        private final Map<Integer, int[]> parents = new HashMap<>();

        @Override
        public String writeF(Write write) {
            return "write";
        }

        static int id(String token) {
            try {
                return token.startsWith("w") ? Integer.parseInt(token.substring(1)) : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }

        static int newest(List<Bytes> values) {
            int newest = -1;
            for (String line : lines(values)) {
                newest = Math.max(newest, id(line));
            }
            return newest;
        }

        @Override
        public Write plan(int id, int client, String key, List<Bytes> values, SplittableRandom random) {
            parents.put(id, lines(values).stream().mapToInt(Register::id).filter(p -> p >= 0).toArray());
            return new Write(id, client, key, "w" + id, false, 0);
        }

        @Override
        public Bytes value(Write write, List<Bytes> values) {
            return Bytes.utf8(write.token);
        }

        @Override
        public boolean reflects(Write write, List<Bytes> values) {
            return newest(values) >= write.id;
        }

        @Override
        public String edn(List<Bytes> values) {
            return History.vector(List.copyOf(lines(values)));
        }

        @Override
        public Score score(List<Write> writes, Map<String, List<Bytes>> finals) {
            Set<Integer> reached = new HashSet<>();
            List<Integer> stack = new ArrayList<>();
            for (List<Bytes> values : finals.values()) {
                for (String line : lines(values)) {
                    int id = id(line);
                    if (id >= 0 && reached.add(id)) {
                        stack.add(id);
                    }
                }
            }
            while (!stack.isEmpty()) {
                int id = stack.remove(stack.size() - 1);
                for (int parent : parents.getOrDefault(id, new int[0])) {
                    if (reached.add(parent)) {
                        stack.add(parent);
                    }
                }
            }
            long acknowledged = 0;
            long lost = 0;
            for (Write w : writes) {
                if (w.acknowledged()) {
                    acknowledged++;
                    if (!reached.contains(w.id)) {
                        lost++;
                    }
                }
            }
            return new Score(acknowledged, lost, 0, 0, Double.NaN);
        }
    }
}
