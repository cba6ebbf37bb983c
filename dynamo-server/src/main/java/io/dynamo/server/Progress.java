package io.dynamo.server;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * How far a long command is: a progress bar (me.tongfei:progressbar, on stderr) when the command
 * runs on a terminal, plain lines on the command's output otherwise (a pipe, a file, a test),
 * one each time another tenth is done, so a log of the command stays readable.
 */
public interface Progress extends AutoCloseable {
    /** {@code done} of the total are done; {@code detail} is shown beside (keys, bytes), may be empty. */
    void update(long done, String detail);

    /** The total changed (a move whose size is known only once it started). */
    void total(long total);

    @Override
    void close();

    /** A bar when this JVM has a terminal ({@link System#console()}), plain lines on {@code out} otherwise. */
    static Progress of(String task, long total, String unit, PrintWriter out) {
        return System.console() != null ? new Bar(task, total, unit) : new Lines(task, total, unit, out);
    }

    /** The bar of a terminal. */
    final class Bar implements Progress {
        private final ProgressBar bar;

        Bar(String task, long total, String unit) {
            this.bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(total).setUnit(" " + unit, 1)
                    .setStyle(ProgressBarStyle.ASCII).showSpeed().build();
        }

        @Override
        public void update(long done, String detail) {
            bar.stepTo(done);
            bar.setExtraMessage(detail);
        }

        @Override
        public void total(long total) {
            bar.maxHint(total);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    /** Plain lines: {@code task: done/total unit (p%) detail}, one per tenth done, and the last. */
    final class Lines implements Progress {
        private final String task;
        private final String unit;
        private final PrintWriter out;
        private long total;
        private long lastTenth = -1;
        private long lastDone = -1;

        Lines(String task, long total, String unit, PrintWriter out) {
            this.task = requireNonNull(task, "task is null");
            this.unit = requireNonNull(unit, "unit is null");
            this.out = requireNonNull(out, "out is null");
            this.total = total;
        }

        @Override
        public void update(long done, String detail) {
            long tenth = total <= 0 ? 10 : Math.min(10, done * 10 / total);
            if (tenth == lastTenth || done == lastDone) {
                return;
            }
            lastTenth = tenth;
            lastDone = done;
            out.printf(Locale.ROOT, "%s: %d/%d %s (%d%%)%s%n", task, done, total, unit,
                    total <= 0 ? 100 : done * 100 / total, detail.isEmpty() ? "" : ", " + detail);
            out.flush();
        }

        @Override
        public void total(long total) {
            this.total = total;
        }

        @Override
        public void close() {
            out.flush();
        }
    }
}
