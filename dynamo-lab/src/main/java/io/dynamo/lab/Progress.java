package io.dynamo.lab;

import java.io.PrintWriter;
import java.util.function.IntConsumer;

/**
 * Progress of the runs: a bar redrawn in place on a terminal, one line per run otherwise (so
 * logs and CI output stay readable), or nothing.
 */
public interface Progress {
    /** A run of {@code operations} starts; the consumer gets the count completed so far. */
    IntConsumer run(String label, int operations);

    void finished();

    Progress SILENT = new Progress() {
        @Override
        public IntConsumer run(String label, int operations) {
            return done -> { };
        }

        @Override
        public void finished() {}
    };

    /** A bar when {@code terminal}, plain lines otherwise. */
    static Progress to(PrintWriter out, boolean terminal) {
        return new Progress() {
            private String current = "";

            @Override
            public IntConsumer run(String label, int operations) {
                current = label;
                if (!terminal) {
                    out.println("run " + label + " (" + operations + " operations)");
                    out.flush();
                    return done -> { };
                }
                int step = Math.max(1, operations / 100);
                return done -> {
                    if (done % step == 0 || done == operations) {
                        int filled = (int) (30L * done / operations);
                        out.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] "
                                + (100L * done / operations) + "%");
                        out.flush();
                    }
                };
            }

            @Override
            public void finished() {
                if (terminal) {
                    out.println();
                } else {
                    out.println("done " + current);
                }
                out.flush();
            }
        };
    }
}
