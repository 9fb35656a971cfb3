package io.llmgateway.cli.onboard;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr ({@code [#####.....] 5000/10000 50% 1800 rows/s, ETA 0:03}),
 * redrawn at most ten times a second; the ETA is the rows left at the average rate so far. A
 * disabled instance prints nothing. Thread-safe.
 */
public final class Progress {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean enabled;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastDraw;

  public Progress(PrintWriter err, boolean enabled, long total) {
    this.err = err;
    this.enabled = enabled && total > 0;
    this.total = total;
  }

  public static Progress disabled(PrintWriter err) {
    return new Progress(err, false, 0);
  }

  public synchronized void update(long done) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (done < total && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) (WIDTH * done / total);
    double seconds = Math.max(1e-3, (now - startNanos) / 1e9);
    double rate = done / seconds;
    err.printf(
        "\r[%s%s] %d/%d %3d%% %.0f rows/s, ETA %s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        100 * done / total,
        rate,
        eta(total - done, rate));
    err.flush();
  }

  /**
   * {@code m:ss} (or {@code h:mm:ss}) for the rows left at the current rate; {@code -:--} unknown.
   */
  static String eta(long left, double rowsPerSecond) {
    if (left <= 0) {
      return "0:00";
    }
    if (rowsPerSecond <= 0) {
      return "-:--";
    }
    long s = (long) Math.ceil(left / rowsPerSecond);
    return s >= 3600
        ? String.format(java.util.Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(java.util.Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  public synchronized void finish() {
    if (enabled) {
      update(total);
      err.println();
      err.flush();
    }
  }
}
