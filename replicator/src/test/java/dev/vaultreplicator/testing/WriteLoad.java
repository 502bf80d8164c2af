package dev.vaultreplicator.testing;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * New versions written to a fixed set of keys on the primary, one every {@code interval}, in the
 * background until stopped. Every value holds a canary, so a test can look for it in logs.
 */
public final class WriteLoad implements AutoCloseable {

  public static final String CANARY = "canary-load-";

  private final TestVault primary;
  private final String folder;
  private final int keys;
  private final AtomicInteger written = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "write-load");
    thread.setDaemon(true);
    return thread;
  });
  private final ScheduledFuture<?> task;

  public WriteLoad(TestVault primary, String folder, int keys, Duration interval) {
    this.primary = primary;
    this.folder = folder;
    this.keys = keys;
    this.task = scheduler.scheduleAtFixedRate(this::writeOne, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void writeOne() {
    int n = written.get();
    try {
      primary.write(key(n % keys), "{\"n\":\"" + n + "\",\"canary\":\"" + CANARY + n + "\"}");
      written.incrementAndGet();
    } catch (RuntimeException | AssertionError e) {
      failure.compareAndSet(null, e);
      throw e;
    }
  }

  private String key(int index) {
    return folder + "/key-" + index;
  }

  public int written() {
    return written.get();
  }

  /** Stops writing; returns how many versions were written, failing if any write failed. */
  public int stop() throws InterruptedException {
    task.cancel(false);
    scheduler.shutdown();
    if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
      throw new AssertionError("the write load did not stop");
    }
    if (failure.get() != null) {
      throw new AssertionError("a write of the load failed", failure.get());
    }
    return written.get();
  }

  /** The load's versions a Vault holds: the sum of each key's current version. */
  public long versionsOn(TestVault vault) {
    long versions = 0;
    for (int i = 0; i < keys; i++) {
      var metadata = vault.read("secret/metadata/" + key(i));
      versions += metadata == null ? 0 : metadata.path("current_version").asLong();
    }
    return versions;
  }

  @Override
  public void close() throws InterruptedException {
    scheduler.shutdownNow();
    scheduler.awaitTermination(10, TimeUnit.SECONDS);
  }
}
