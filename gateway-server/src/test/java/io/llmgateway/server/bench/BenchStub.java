package io.llmgateway.server.bench;

import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.bedrock.stub.StubResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the wire-format Bedrock stub as a process for {@code bench/run.sh} and prints its endpoint.
 * Stops on SIGTERM.
 *
 * <ul>
 *   <li>No arguments: every call gets the stub's default echo, on {@code /converse} as JSON and on
 *       {@code /converse-stream} as CRC-framed events sent at once (the time-to-first-token floor).
 *   <li>{@code drip <count> <words> <interval-ms>}: the next {@code count} calls get a stream of
 *       {@code words} words, the first at once and each later one {@code interval-ms} after the
 *       previous (a model generating slowly; streams at scale), then the default echo.
 * </ul>
 */
public final class BenchStub {
  private BenchStub() {}

  public static void main(String[] args) throws InterruptedException {
    BedrockStub stub = BedrockStub.start();
    if (args.length == 4 && "drip".equals(args[0])) {
      int count = Integer.parseInt(args[1]);
      int words = Integer.parseInt(args[2]);
      Duration interval = Duration.ofMillis(Long.parseLong(args[3]));
      List<String> chunks = new ArrayList<>();
      for (int i = 0; i < words; i++) {
        chunks.add("word" + i + " ");
      }
      StubResponse drip = StubResponse.slowStream(chunks, interval, 12, words);
      for (int i = 0; i < count; i++) {
        stub.enqueue(drip);
      }
    }
    System.out.println("STUB " + stub.endpoint());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
    Thread.currentThread().join();
  }
}
