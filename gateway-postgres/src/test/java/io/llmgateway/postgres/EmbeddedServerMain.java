package io.llmgateway.postgres;

import java.nio.file.Path;

/** Starts an embedded database on a directory, stores a team, prints READY, waits to be killed. */
public final class EmbeddedServerMain {
  private EmbeddedServerMain() {}

  public static void main(String[] args) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(Path.of(args[0]));
    PostgresAdapters adapters = PostgresAdapters.start(db.config(1));
    adapters.stores().teams().insert(TestData.team(args[1]));
    System.out.println("READY " + db.port());
    System.out.flush();
    Thread.sleep(600_000); // until killed
  }
}
