package dev.vaultreplicator.devstack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes as fast as a fixed number of clients can, each waiting for its answer before the next:
 * the load of a ceiling, and of a preload. Client {@code c} writes keys {@code c, c + clients, ..}.
 */
final class ClosedLoopWriter {

  /** The keys {@code <prefix>/k0 ..}; how long the writes took and how many failed. */
  record Written(String prefix, int keys, int writes, double seconds, int failed) {
    double perSecond() {
      return writes / seconds;
    }
  }

  private ClosedLoopWriter() {}

  /** {@code keys} keys, {@code versions} versions each, written key by key. */
  static Written write(BenchVault vault, String prefix, int keys, int versions, int clients) throws InterruptedException {
    AtomicInteger failed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    long start = System.nanoTime();
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        done.add(pool.submit(() -> {
          for (int k = client; k < keys; k += clients) {
            for (int v = 0; v < versions; v++) {
              if (!vault.write(prefix + "/k" + k)) {
                failed.incrementAndGet();
              }
            }
          }
        }));
      }
      for (Future<?> client : done) {
        client.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("a writer failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
    return new Written(prefix, keys, keys * versions, (System.nanoTime() - start) / 1e9, failed.get());
  }
}
