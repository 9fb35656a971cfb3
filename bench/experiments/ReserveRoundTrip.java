// NOT PART OF THE BUILD. A probe (docs/PERFORMANCE.md, "Nineteenth session: where one
// connection's time goes"): the leases-off reserve (ledger_reserve on two counters, as
// bench/ledger-scripts.py's reserve1) over JDBC, one call after another from a platform thread
// and from a virtual thread, alternating, against a gateway's durable embedded PostgreSQL; prints
// p10/p50/p90 a round. Run from the project root after a build, against a demo-mode gateway's
// database (its port is line 4 of the data directory's postmaster.pid, as bench/ledger-calls.sh
// finds it):
//   java -cp "<test classpath>" bench/experiments/ReserveRoundTrip.java <port> 5000
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.Random;

public class ReserveRoundTrip {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/gateway?user=postgres";
    int n = Integer.parseInt(args[1]);
    for (String mode : new String[] {"platform", "virtual", "platform", "virtual"}) {
      long[] lat = new long[n];
      Runnable calls =
          () -> {
            try (Connection c = DriverManager.getConnection(url)) {
              PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT ledger_reserve(?, 1000, now(), now() + interval '60 s', '{\"requestId\":"
                          + " \"r\", \"keyId\": \"k\", \"userId\": \"u\", \"teamId\": \"t\", \"model\":"
                          + " \"m\", \"startedAt\": \"2026-12-07T00:00:00Z\"}', '{TEAM,USER}',"
                          + " '{tb,ub}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}',"
                          + " '{1000000000000000,1000000000000000}',"
                          + " '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}')");
              Random ids = new Random();
              for (int i = 0; i < n + 2000; i++) { // the first 2,000 warm up
                ps.setString(1, "rt-" + ids.nextLong());
                long t0 = System.nanoTime();
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                }
                if (i >= 2000) {
                  lat[i - 2000] = System.nanoTime() - t0;
                }
              }
            } catch (SQLException e) {
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
