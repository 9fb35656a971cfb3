package io.llmgateway.core.requestlog;

import io.llmgateway.core.Page;
import java.time.Instant;
import java.util.List;

/**
 * The port that keeps refused requests (admitted ones are in the spend log). Written in batches by
 * the gateway's refusal writer, off the request path; read by {@code AdminService.requestLogs};
 * trimmed by the sweeper. Implementations are thread-safe.
 */
public interface RefusalLog {

  /** Keeps nothing (an admin service without a gateway, such as the CLI's). */
  RefusalLog NONE =
      new RefusalLog() {
        @Override
        public void append(List<Refusal> batch) {}

        @Override
        public Page<Refusal> query(RefusalQuery query) {
          return new Page<>(List.of(), 0, query.page());
        }

        @Override
        public int purgeBefore(Instant before, int limit) {
          return 0;
        }
      };

  /** Stores every refusal of the batch (one round trip on a database). */
  void append(List<Refusal> batch);

  /** Refusals matching {@code query}, newest first (by time, then request id). */
  Page<Refusal> query(RefusalQuery query);

  /** Deletes at most {@code limit} refusals older than {@code before}; returns how many. */
  int purgeBefore(Instant before, int limit);
}
