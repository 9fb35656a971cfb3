package io.llmgateway.server;

import java.util.function.Supplier;

/** Computes a byte array once, on first use. */
final class LazyBytes implements Supplier<byte[]> {
  private final Supplier<byte[]> compute;
  private volatile byte[] value;

  LazyBytes(Supplier<byte[]> compute) {
    this.compute = compute;
  }

  @Override
  public byte[] get() {
    byte[] v = value;
    if (v == null) {
      synchronized (this) {
        if (value == null) {
          value = compute.get();
        }
        v = value;
      }
    }
    return v;
  }
}
