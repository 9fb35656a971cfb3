package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.testing.ScriptedProvider;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code gateway-admin spend export --format focus} on the database and over the admin API, and
 * {@code GET /spend/export} streamed: the FOCUS columns the specification makes mandatory, typed as
 * it types them, and totals equal to the spend log.
 */
class SpendExportTest extends CommandTest {
  private static final String MASTER = "sk-test-master";

  /** FOCUS 1.0's mandatory columns, and the conditional ones an LLM gateway has. */
  private static final List<String> FOCUS_COLUMNS =
      List.of(
          "BilledCost",
          "BillingAccountId",
          "BillingAccountName",
          "BillingCurrency",
          "BillingPeriodEnd",
          "BillingPeriodStart",
          "ChargeCategory",
          "ChargeClass",
          "ChargeDescription",
          "ChargePeriodEnd",
          "ChargePeriodStart",
          "ContractedCost",
          "ContractedUnitPrice",
          "EffectiveCost",
          "InvoiceIssuerName",
          "ListCost",
          "ListUnitPrice",
          "PricingQuantity",
          "PricingUnit",
          "ProviderName",
          "PublisherName",
          "ServiceCategory",
          "ServiceName",
          "ChargeFrequency",
          "ConsumedQuantity",
          "ConsumedUnit",
          "ResourceId",
          "ResourceName",
          "SubAccountId",
          "Tags");

  private static final Set<String> DECIMALS =
      Set.of(
          "BilledCost",
          "ContractedCost",
          "ContractedUnitPrice",
          "EffectiveCost",
          "ListCost",
          "ListUnitPrice",
          "PricingQuantity",
          "ConsumedQuantity");
  private static final Set<String> DATETIMES =
      Set.of("BillingPeriodEnd", "BillingPeriodStart", "ChargePeriodEnd", "ChargePeriodStart");

  private GatewayServer server;

  @BeforeEach
  void serverAndSpend() throws Exception {
    seedOnboarded();
    server =
        GatewayServer.start(
            ServerConfig.forTests(),
            cli.stores(),
            List.of(new ScriptedProvider("bedrock")),
            cli.clock);
    List<String> lines = Files.readAllLines(cli.workDir.resolve("keys.csv"));
    Gateway gateway =
        Gateway.builder()
            .stores(cli.stores())
            .provider(new ScriptedProvider("bedrock").usage(10, 1_000))
            .clock(cli.clock)
            .config(GatewayConfig.defaults())
            .build();
    cli.clock.advance(Duration.ofDays(-1));
    gateway.chat(gateway.authenticate(keyOf(lines, "user1")), ChatRequest.of("model-cheap", "a"));
    cli.clock.advance(Duration.ofDays(1));
    gateway.chat(
        gateway.authenticate(keyOf(lines, "user2")), ChatRequest.of("model-balanced", "b"));
    gateway.chat(
        gateway.authenticate(keyOf(lines, "user3")), ChatRequest.of("model-reasoning", "c"));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void focusCsvIsTheSameOnTheDatabaseAndOverTheApiTypedAndAddsUpToTheSpendLog() throws Exception {
    Instant from = cli.clock.instant().minus(Duration.ofDays(3));
    Instant to = cli.clock.instant().plusSeconds(60);
    String[] args = {"spend", "export", "--format", "focus", "--from", from + "", "--to", to + ""};
    CliHarness.Run db = cli.run(args);
    assertThat(db.exitCode()).as(db.toString()).isZero();
    CliHarness.Run api = overApi(MASTER, args);
    assertThat(api.exitCode()).as(api.toString()).isZero();
    assertThat(api.out()).isEqualTo(db.out());
    assertThat(overApi("sk-wrong-key-123456", args).exitCode()).isEqualTo(ExitCode.VALIDATION);

    List<List<String>> rows = parse(db.out());
    List<String> header = rows.get(0);
    assertThat(header).containsAll(FOCUS_COLUMNS);
    List<SpendRecord> log =
        cli.stores()
            .spendLog()
            .query(SpendQuery.builder(PageRequest.first(100)).from(from).to(to).build())
            .items();
    assertThat(rows).hasSize(log.size() + 1);
    assertThat(log).hasSize(3);
    BigDecimal billed = BigDecimal.ZERO;
    ObjectMapper json = new ObjectMapper();
    for (List<String> row : rows.subList(1, rows.size())) {
      Map<String, String> v = new HashMap<>();
      for (int i = 0; i < header.size(); i++) {
        v.put(header.get(i), row.get(i));
      }
      for (String d : DECIMALS) {
        assertThat(new BigDecimal(v.get(d))).as(d).isNotNegative();
      }
      for (String t : DATETIMES) {
        assertThat(v.get(t)).as(t).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
      }
      assertThat(Instant.parse(v.get("ChargePeriodStart")))
          .isBefore(Instant.parse(v.get("ChargePeriodEnd")))
          .isAfterOrEqualTo(Instant.parse(v.get("BillingPeriodStart")));
      assertThat(Instant.parse(v.get("ChargePeriodEnd")))
          .isBeforeOrEqualTo(Instant.parse(v.get("BillingPeriodEnd")));
      assertThat(v.get("BillingCurrency")).isEqualTo("USD");
      assertThat(v.get("ChargeCategory")).isEqualTo("Usage");
      assertThat(v.get("ChargeClass")).isEmpty(); // null: not a correction
      // The spec's product rule: unit price x pricing quantity = the cost.
      BigDecimal qty = new BigDecimal(v.get("PricingQuantity"));
      assertThat(new BigDecimal(v.get("ListUnitPrice")).multiply(qty))
          .isEqualByComparingTo(v.get("ListCost"));
      assertThat(new BigDecimal(v.get("ContractedUnitPrice")).multiply(qty))
          .isEqualByComparingTo(v.get("ContractedCost"));
      JsonNode tags = json.readTree(v.get("Tags"));
      assertThat(tags.isObject()).isTrue();
      assertThat(tags.path("key").asText()).isNotEmpty();
      assertThat(v.get("ResourceId")).startsWith("model-");
      assertThat(Long.parseLong(v.get("ConsumedQuantity"))).isEqualTo(1_010L);
      billed = billed.add(new BigDecimal(v.get("BilledCost")));
    }
    long nanos = log.stream().mapToLong(r -> r.cost().nanos()).sum();
    assertThat(billed).isEqualByComparingTo(BigDecimal.valueOf(nanos, 9));
    assertThat(nanos).isPositive();
  }

  /**
   * 120,000 rows: when the client has read only the header and first row, the database cursor is
   * still open (the server writes as it reads; a response built in memory would have finished its
   * query first); then the rest arrives, every row.
   */
  @Test
  void theApiExportIsStreamedFromADatabaseCursor() throws Exception {
    String url = cli.env.get("DATABASE_URL");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO spend_log (reservation_id, request_id, key_id, model, input_tokens,"
              + " output_tokens, cache_read_tokens, cache_write_tokens, usage_source, cost_nanos,"
              + " status, latency_ms, started_at, ended_at) SELECT 'bulk-' || g, 'bulk-' || g, 'k1',"
              + " 'model-cheap', 100, 10, 0, 0, 'REPORTED', 1000, 'SUCCESS', 5,"
              + " timestamptz '2026-10-01T00:00:00Z' + g * interval '1 second',"
              + " timestamptz '2026-10-01T00:00:00Z' + g * interval '1 second'"
              + " FROM generate_series(1, 120000) g");
      HttpResponse<java.io.InputStream> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              server.baseUrl()
                                  + "/spend/export?format=focus&start_date=2026-10-01"
                                  + "&end_date=2026-10-31"))
                      .header("Authorization", "Bearer " + MASTER)
                      .build(),
                  HttpResponse.BodyHandlers.ofInputStream());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/csv");
      try (BufferedReader in =
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        assertThat(in.readLine()).startsWith("BilledCost,");
        assertThat(in.readLine()).startsWith("0.000001000,");
        try (ResultSet open =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND query"
                    + " LIKE 'SELECT * FROM spend_log WHERE ended_at >=%' AND state IN ('active',"
                    + " 'idle in transaction')")) {
          open.next();
          assertThat(open.getInt(1)).as("the export's cursor is open").isEqualTo(1);
        }
        long lines = 2;
        while (in.readLine() != null) {
          lines++;
        }
        assertThat(lines).isEqualTo(120_001);
      }
    }
  }

  private CliHarness.Run overApi(String key, String... args) {
    cli.env.put("GATEWAY_URL", server.baseUrl());
    cli.env.put("GATEWAY_ADMIN_KEY", key);
    try {
      return cli.run(args);
    } finally {
      cli.env.remove("GATEWAY_URL");
      cli.env.remove("GATEWAY_ADMIN_KEY");
    }
  }

  private static String keyOf(List<String> keyFile, String user) {
    return keyFile.stream()
        .filter(l -> l.startsWith(user + "@example.com,"))
        .findFirst()
        .orElseThrow()
        .split(",")[5];
  }

  /** RFC 4180: quoted cells may hold commas, doubled quotes and line breaks. */
  static List<List<String>> parse(String csv) {
    List<List<String>> rows = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < csv.length(); i++) {
      char ch = csv.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < csv.length() && csv.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cell.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        row.add(cell.toString());
        cell.setLength(0);
      } else if (ch == '\n') {
        row.add(cell.toString());
        cell.setLength(0);
        rows.add(row);
        row = new ArrayList<>();
      } else if (ch != '\r') {
        cell.append(ch);
      }
    }
    return rows;
  }
}
