package io.dynamo.lab;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The workloads the lab plays; see {@link Workload} for what each writes and how it is scored. */
public enum WorkloadKind {
    /** Dynamo's shopping cart: add a new item or remove a seen one, merge by union. */
    CART,
    /** Read a number, write it plus one; concurrent siblings merge by max (so increments can be lost). */
    COUNTER,
    /** Read, then overwrite with a new unique value; siblings merge to the newest-looking one. */
    REGISTER,
    /** Section 6.3's busy robots: register clients on many keys plus robots hammering a few hot keys. */
    ROBOTS;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static WorkloadKind parse(String text) {
        for (WorkloadKind kind : values()) {
            if (kind.label().equals(text.trim())) {
                return kind;
            }
        }
        throw new LabException("workload: no workload named '" + text.trim() + "'. Available: " + String.join(", ", names()));
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(WorkloadKind::label).toList();
    }
}
