package io.llmgateway.server.bench;

import io.llmgateway.bedrock.stub.BedrockStub;

/**
 * Runs the wire-format Bedrock stub as a process for {@code bench/run.sh}: it answers every
 * Converse call with its default echo (JSON on {@code /converse}; on {@code /converse-stream}
 * CRC-framed events sent at once, the time-to-first-token floor) and prints its endpoint. Stops on
 * SIGTERM. {@link DripStub} is the slowly generating upstream.
 */
public final class BenchStub {
  private BenchStub() {}

  public static void main(String[] args) throws InterruptedException {
    BedrockStub stub = BedrockStub.start();
    System.out.println("STUB " + stub.endpoint());
    System.out.flush();
    Runtime.getRuntime().addShutdownHook(new Thread(stub::close));
    Thread.currentThread().join();
  }
}
