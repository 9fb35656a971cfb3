package io.llmgateway.bedrock;

import java.lang.management.ManagementFactory;

/**
 * How many Bedrock calls (streams included) one provider may have open at once when nothing is
 * configured: what the machine can hold, not a fixed pool size. Each open call holds two sockets
 * (the client's and the upstream's) and some heap (the request, the relay's buffers, the upstream
 * connection's buffers, its virtual threads). So the default is
 *
 * <pre>min(maxHeap / 128 KiB, (openFileLimit - 512) / 2), clamped to [64, 65536]</pre>
 *
 * 128 KiB per call covers a stream's buffers (the server's 32 KiB response buffer, the upstream
 * connection's 8 KiB, the request, the translator, two virtual threads) with room to spare for the
 * rest of the heap; 512 descriptors stay for the database pool, jars and logs. With {@code -Xmx1g}
 * and 20,000 open files that is 8,192; with 65,536 open files and {@code -Xmx2g}, 16,384.
 * Stateless.
 */
final class ConnectionBound {
  static final long HEAP_PER_CALL = 128 * 1024;
  static final long RESERVED_FILES = 512;
  static final int MIN = 64;
  static final int MAX = 65_536;

  private ConnectionBound() {}

  /** The default bound for this process. */
  static int auto() {
    return of(Runtime.getRuntime().maxMemory(), openFileLimit());
  }

  /** The default bound for a heap of {@code maxHeapBytes} and {@code openFiles} descriptors. */
  static int of(long maxHeapBytes, long openFiles) {
    long byHeap = maxHeapBytes / HEAP_PER_CALL;
    long byFiles = openFiles <= 0 ? Long.MAX_VALUE : (openFiles - RESERVED_FILES) / 2;
    return (int) Math.max(MIN, Math.min(MAX, Math.min(byHeap, byFiles)));
  }

  /** The process's open-file limit, or -1 where the JVM cannot tell (not a Unix). */
  static long openFileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** {@code configured} if positive, else {@link #auto()}. */
  static int resolve(int configured) {
    return configured > 0 ? configured : auto();
  }
}
