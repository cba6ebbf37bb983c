package io.dynamo.lab;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's operations as Jepsen records them: each operation's {@code :invoke} and then its
 * {@code :ok}, {@code :fail} (did certainly not happen) or {@code :info} (undetermined: a write
 * that timed out or lost its quorum may still have been applied), in the order they happened.
 * Written as one EDN map per line, Jepsen's {@code history.edn} form.
 */
public final class History {
    /** One event. {@code value} is EDN text already. */
    public record Event(String type, int process, String f, String key, String value, long timeMicros) {}

    private final List<Event> events = new ArrayList<>();
    private final long originMicros;

    public History(long originMicros) {
        this.originMicros = originMicros;
    }

    void add(String type, int process, String f, String key, String value, long timeMicros) {
        events.add(new Event(type, process, f, key, value, timeMicros - originMicros));
    }

    public List<Event> events() {
        return List.copyOf(events);
    }

    public long count(String type) {
        return events.stream().filter(e -> e.type().equals(type)).count();
    }

    /** Writes one map per line: {@code {:index 0, :type :invoke, :process 3, :f :read, :value ["key-1" nil], :time 1000}}. */
    public void writeEdn(Writer out) throws IOException {
        int index = 0;
        for (Event e : events) {
            out.write("{:index " + index++ + ", :type :" + e.type() + ", :process " + e.process() + ", :f :" + e.f()
                    + ", :value [" + string(e.key()) + " " + e.value() + "], :time " + e.timeMicros() * 1000 + "}\n");
        }
    }

    static String string(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** An EDN vector of strings. */
    static String vector(List<String> items) {
        StringBuilder b = new StringBuilder("[");
        for (String item : items) {
            if (b.length() > 1) {
                b.append(' ');
            }
            b.append(string(item));
        }
        return b.append(']').toString();
    }
}
