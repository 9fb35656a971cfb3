package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.identity.UserQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Onboards 10,000 users as a user would: no DATABASE_URL, so the CLI starts the embedded PostgreSQL
 * in GATEWAY_DATA_DIR (default durability settings). Prints timings; asserts only the outcome,
 * never a time. Excluded from the default build; run it with
 *
 * <pre>./mvnw -pl gateway-admin-cli -am verify -Pbenchmark -Dtest=OnboardBenchmarkTest \
 *   -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@Tag("benchmark")
class OnboardBenchmarkTest extends CommandTest {
  static final int ROWS = 10_000;

  static String csv(int rows) {
    String[] tiers = {"drafting", "coding", "architect"};
    StringBuilder b = new StringBuilder("email,tier,alias,budget,rpm\n");
    for (int i = 1; i <= rows; i++) {
      b.append(String.format(Locale.ROOT, "user%05d@example.com,%s,User %d,", i, tiers[i % 3], i));
      b.append(i % 10 == 0 ? "0.05" : "").append(',').append(i % 7 == 0 ? "30" : "").append('\n');
    }
    return b.toString();
  }

  @Test
  void onboardsTenThousandUsers() throws IOException {
    cli.env.remove("DATABASE_URL");
    Path data = cli.workDir.resolve("data");
    cli.env.put("GATEWAY_DATA_DIR", data.toString());
    cli.write("big.csv", csv(ROWS));
    ok("models", "sync"); // creates the embedded cluster (initdb) outside the timing
    ok("teams", "sync"); // teams name the models, so they come second

    long t0 = System.nanoTime();
    var first = ok("users", "onboard", "--csv", "big.csv", "--out", "keys.csv", "--progress");
    long t1 = System.nanoTime();
    var again = ok("users", "onboard", "--csv", "big.csv", "--out", "keys.csv");
    long t2 = System.nanoTime();

    double onboard = (t1 - t0) / 1e9;
    double rerun = (t2 - t1) / 1e9;
    System.out.printf(
        Locale.ROOT,
        "BENCHMARK onboard %d rows: %.1f s (%.0f rows/s, incl. embedded PostgreSQL start);"
            + " idempotent re-run: %.1f s%n",
        ROWS,
        onboard,
        ROWS / onboard,
        rerun);
    assertThat(first.out()).contains(ROWS + " users created");
    assertThat(again.out()).contains("0 users created, " + ROWS + " existing unchanged");
    assertThat(Files.readAllLines(cli.workDir.resolve("keys.csv"))).hasSize(ROWS + 1);
    assertThat(ok("users", "list", "--limit", "100000", "--format", "csv").out().lines())
        .hasSize(ROWS + 1);
    assertThat(cli.stores().users().list(UserQuery.all(PageRequest.first(1))).total())
        .isZero(); // other db
  }
}
