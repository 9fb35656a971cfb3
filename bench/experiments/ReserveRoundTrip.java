// NOT PART OF THE BUILD. A probe (docs/PERFORMANCE.md, "Nineteenth session: where one
// connection's time goes"): the leases-off reserve (ledger_reserve on two counters, as
// bench/ledger-scripts.py's reserve1) over JDBC, one call after another from a platform thread
// and from a virtual thread, alternating (RoundTrips), against a gateway's durable embedded
// PostgreSQL; prints p10/p50/p90 a round. Run from the project root after a build, against a
// demo-mode gateway's database (its port is line 4 of the data directory's postmaster.pid, as
// bench/ledger-calls.sh finds it):
//   java -cp "<test classpath>" bench/experiments/ReserveRoundTrip.java <port> 5000
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Random;

public class ReserveRoundTrip {
  public static void main(String[] args) throws Exception {
    String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/gateway?user=postgres";
    RoundTrips.alternate(
        Integer.parseInt(args[1]),
        2000,
        () -> {
          Connection c = DriverManager.getConnection(url); // one a round; closed at exit
          PreparedStatement ps =
              c.prepareStatement(
                  "SELECT ledger_reserve(?, 1000, now(), now() + interval '60 s', '{\"requestId\":"
                      + " \"r\", \"keyId\": \"k\", \"userId\": \"u\", \"teamId\": \"t\", \"model\":"
                      + " \"m\", \"startedAt\": \"2026-12-07T00:00:00Z\"}', '{TEAM,USER}',"
                      + " '{tb,ub}', '{DAILY,MONTHLY}', '{2026-12-07@UTC,2026-12@UTC}',"
                      + " '{1000000000000000,1000000000000000}',"
                      + " '{2026-12-08T00:00:00Z,2027-01-01T00:00:00Z}')");
          Random ids = new Random();
          return () -> {
            ps.setString(1, "rt-" + ids.nextLong());
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
            }
          };
        });
  }
}
