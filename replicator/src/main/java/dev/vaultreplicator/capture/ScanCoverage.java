package dev.vaultreplicator.capture;

import java.time.Instant;

/**
 * Whether the scans so far cover every change the stream may have missed. A gap (the audit stream
 * dropped, the buffer overflowed, a read was refused) needs a scan that started after it; until
 * one completes, {@code captured_through} stays frozen. A failed scan freezes it too.
 */
public final class ScanCoverage {

  private Instant requiredSince;
  private Instant lastCompletedStart;
  private boolean lastFailed;

  /** @param startedAt a new capture needs a first scan that started no earlier than this */
  public ScanCoverage(Instant startedAt) {
    this.requiredSince = startedAt;
  }

  /** Something since {@code at} may have been missed: only a scan from then on covers it. */
  public synchronized void require(Instant at) {
    if (at.isAfter(requiredSince)) {
      requiredSince = at;
    }
  }

  public synchronized void completed(Instant scanStartedAt) {
    lastFailed = false;
    if (lastCompletedStart == null || scanStartedAt.isAfter(lastCompletedStart)) {
      lastCompletedStart = scanStartedAt;
    }
  }

  public synchronized void failed() {
    lastFailed = true;
  }

  /** True when the last scan succeeded and started after every known gap. */
  public synchronized boolean current() {
    return !lastFailed && lastCompletedStart != null && !lastCompletedStart.isBefore(requiredSince);
  }
}
