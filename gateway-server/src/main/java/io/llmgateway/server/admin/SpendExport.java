package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.spend.FocusCsv;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * {@code GET /spend/export?format=focus&start_date=&end_date=}: the spend log rows that ended in
 * the range as FinOps FOCUS CSV ({@link FocusCsv}, docs/ADMIN_API.md "Spend export"), written to
 * the response as the database cursor hands them over: memory stays bounded however many rows there
 * are. Dates as in {@code /global/spend/report} (calendar days of the budget zone, end day
 * included, or ISO instants), the end date defaulting to today and the start to the first day of
 * its month. Errors before the first row (dates, access) are the usual JSON envelope; the header is
 * written with the first row, or at the end when there is none.
 */
final class SpendExport {
  /** BillingAccountId of every row: this gateway. */
  static final String ACCOUNT = "llm-gateway";

  private final AdminApi api;
  private final SpendRoutes dates;

  SpendExport(AdminApi api, SpendRoutes dates) {
    this.api = api;
    this.dates = dates;
  }

  JsonNode export(AdminCall call) throws IOException {
    AdminCall.Query q = call.query(Set.of("format", "start_date", "end_date"));
    String format = q.text("format").orElse("focus");
    if (!format.equals("focus")) {
      throw Body.invalid("format", "format must be focus");
    }
    LocalDate today = LocalDate.ofInstant(api.clock().instant(), api.zone());
    Instant start =
        q.text("start_date")
            .map(d -> dates.start("start_date", d))
            .orElse(today.withDayOfMonth(1).atStartOfDay(api.zone()).toInstant());
    Instant end =
        q.text("end_date")
            .map(d -> dates.end("end_date", d))
            .orElse(today.plusDays(1).atStartOfDay(api.zone()).toInstant());
    if (!start.isBefore(end)) {
      throw Body.invalid("end_date", "end_date is before start_date");
    }
    if (start.plus(java.time.Duration.ofDays(SpendRoutes.MAX_REPORT_DAYS + 1)).isBefore(end)) {
      throw Body.invalid(
          "end_date", "an export covers at most " + SpendRoutes.MAX_REPORT_DAYS + " days");
    }
    Lazy out = new Lazy(call, ACCOUNT, start, end);
    api.admin().exportSpend(call.actor(), start, end, out::write);
    out.finish();
    return null;
  }

  /** Starts the response (status, headers, CSV header) with the first row. */
  private static final class Lazy {
    private final AdminCall call;
    private final String account;
    private final Instant start;
    private final Instant end;
    private Writer writer;
    private FocusCsv csv;

    Lazy(AdminCall call, String account, Instant start, Instant end) {
      this.call = call;
      this.account = account;
      this.start = start;
      this.end = end;
    }

    void write(io.llmgateway.core.spend.SpendRecord r) {
      open().write(r);
    }

    private FocusCsv open() {
      if (csv == null) {
        call.ctx()
            .status(200)
            .contentType("text/csv; charset=utf-8")
            .header(
                "Content-Disposition",
                "attachment; filename=\"spend-focus-" + start + "-" + end + ".csv\"");
        writer =
            new BufferedWriter(
                new OutputStreamWriter(call.ctx().outputStream(), StandardCharsets.UTF_8), 16_384);
        csv = new FocusCsv(writer, account).header();
      }
      return csv;
    }

    void finish() {
      open().flush();
      try {
        writer.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
