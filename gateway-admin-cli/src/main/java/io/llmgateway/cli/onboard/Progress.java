package io.llmgateway.cli.onboard;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr ({@code [#####.....] 5000/10000 50% 1800 rows/s}), redrawn at
 * most ten times a second. A disabled instance prints nothing. Thread-safe.
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
    err.printf(
        "\r[%s%s] %d/%d %3d%% %.0f rows/s",
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        done,
        total,
        100 * done / total,
        done / seconds);
    err.flush();
  }

  public synchronized void finish() {
    if (enabled) {
      update(total);
      err.println();
      err.flush();
    }
  }
}
