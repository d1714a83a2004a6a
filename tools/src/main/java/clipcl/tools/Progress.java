package clipcl.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on standard error: redrawn in place on a terminal, a line every few seconds
 * otherwise (logs, CI). Shows count, rate, elapsed and remaining time, and a caller's note.
 */
public final class Progress implements AutoCloseable {
    private final String label;
    private final long total;
    private final PrintStream out;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long done, resumed, lastDraw;
    private String note = "";

    public Progress(String label, long total) {
        this.label = label;
        this.total = total;
        this.out = System.err;
        this.tty = System.console() != null && System.getenv("CI") == null;
    }

    public void note(String s) { note = s; }

    /** Starts the count at n steps done before (a resumed run): they fill the bar but not the rate. */
    public void resumeAt(long n) {
        done = resumed = n;
        lastDraw = System.nanoTime();
        draw(false);
    }

    public void step(long n) {
        done += n;
        long now = System.nanoTime();
        long every = tty ? 200_000_000L : 10_000_000_000L;
        if (now - lastDraw >= every || done >= total) {
            lastDraw = now;
            draw(false);
        }
    }

    private void draw(boolean last) {
        String line = line(label, done, resumed, total, (System.nanoTime() - start) / 1e9, note);
        if (tty) {
            out.print("\r" + line + "\u001b[K");
            if (last) out.println();
        } else {
            out.println(line);
        }
        out.flush();
    }

    /** The bar's text: the rate and time left from the steps done since this run started (after {@code resumed}). */
    static String line(String label, long done, long resumed, long total, double sec, String note) {
        double rate = (done - resumed) / Math.max(sec, 1e-9);
        double frac = total > 0 ? Math.min(1.0, (double) done / total) : 0;
        int width = 28, filled = (int) Math.round(frac * width);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String eta = done > resumed && done < total ? " eta " + clock((total - done) / rate) : "";
        return String.format(Locale.ROOT, "%s [%s] %d/%d %3.0f%% %s %.1f/s%s %s", label, bar, done, total, 100 * frac, clock(sec), rate, eta, note);
    }

    static String clock(double sec) {
        long s = Math.round(sec);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        if (tty) draw(true);
        else if (done < total || lastDraw == 0) draw(true);
    }
}
