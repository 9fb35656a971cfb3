// NOT PART OF THE BUILD. Shared by the round-trip probes in this folder (UpstreamRoundTrip,
// ReserveRoundTrip), launched as multi-file source programs (JDK 22+ finds this file beside them):
// runs a call n times after a warm-up, one call after another, from a platform thread and from a
// virtual thread, alternating, and prints each round's p10/p50/p90.
import java.util.Arrays;

final class RoundTrips {
  /** One call; returns nothing, throws anything. */
  interface Call {
    void run() throws Exception;
  }

  /** Opens what one thread's calls need (a connection) and hands back its call. */
  interface Setup {
    Call open() throws Exception;
  }

  private RoundTrips() {}

  static void alternate(int n, int warm, Setup setup) throws InterruptedException {
    for (String mode : new String[] {"platform", "virtual", "platform", "virtual"}) {
      long[] lat = new long[n];
      Runnable calls =
          () -> {
            try {
              Call call = setup.open();
              for (int i = 0; i < n + warm; i++) {
                long t0 = System.nanoTime();
                call.run();
                if (i >= warm) {
                  lat[i - warm] = System.nanoTime() - t0;
                }
              }
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          };
      (mode.equals("virtual") ? Thread.ofVirtual() : Thread.ofPlatform()).start(calls).join();
      Arrays.sort(lat);
      System.out.printf(
          "%s thread: p10 %.3f p50 %.3f p90 %.3f ms%n",
          mode, lat[n / 10] / 1e6, lat[n / 2] / 1e6, lat[n * 9 / 10] / 1e6);
    }
  }
}
