package io.llmgateway.cli.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL server already running on a data directory, found through its {@code postmaster.pid}
 * (line 1: pid, line 4: port; PostgreSQL's documented layout). A pid file whose process is gone is
 * stale (a crash) and ignored. Immutable and thread-safe.
 */
record RunningPostmaster(long pid, int port) {

  static Optional<RunningPostmaster> in(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.isRegularFile(pidFile)) {
      return Optional.empty();
    }
    try {
      List<String> lines = Files.readAllLines(pidFile);
      if (lines.size() < 4) {
        return Optional.empty();
      }
      long pid = Long.parseLong(lines.get(0).trim());
      int port = Integer.parseInt(lines.get(3).trim());
      boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
      return alive ? Optional.of(new RunningPostmaster(pid, port)) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
