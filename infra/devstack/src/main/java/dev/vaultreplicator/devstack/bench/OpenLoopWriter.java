package dev.vaultreplicator.devstack.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes at a fixed rate: each write leaves on its schedule whatever the answers do, so a slow
 * pipeline cannot slow the load (no coordinated omission). Keys take turns, a bounded number of
 * versions each, so every version stays in the key's history (Vault keeps 10).
 */
final class OpenLoopWriter {

  static final int VERSIONS_PER_KEY = 8;

  /** What was sent: the keys {@code <prefix>/k0 ..}, how fast the schedule was kept, and how many failed. */
  record Sent(String prefix, int keys, int writes, double perSecond, int failed) { }

  private OpenLoopWriter() {}

  static Sent write(BenchVault vault, String prefix, int rate, double seconds) {
    int writes = (int) Math.max(1, Math.round(rate * seconds));
    int keys = Math.max(1, (writes + VERSIONS_PER_KEY - 1) / VERSIONS_PER_KEY);
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<Void>> answers = new ArrayList<>(writes);
    long start = System.nanoTime();
    for (int i = 0; i < writes; i++) {
      long due = start + i * 1_000_000_000L / rate;
      for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
        LockSupport.parkNanos(wait); // the schedule of the load, not a wait for a result
      }
      answers.add(vault.writeAsync(prefix + "/k" + (i % keys)).thenAccept(ok -> {
        if (!ok) {
          failed.incrementAndGet();
        }
      }));
    }
    double perSecond = writes / ((System.nanoTime() - start) / 1e9);
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
    return new Sent(prefix, keys, writes, perSecond, failed.get());
  }
}
