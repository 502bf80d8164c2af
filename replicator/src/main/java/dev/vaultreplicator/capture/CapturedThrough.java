package dev.vaultreplicator.capture;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The instant up to which every change the primary committed is on the changes topic. It only
 * moves forward, and only while the primary answers (or is sealed, see {@link SealedPrimary}), the
 * audit stream delivers and the scans are current; it stays behind the oldest change capture has heard of but Kafka has not yet
 * acknowledged, and behind the last healthy check of the primary by the audit delivery allowance
 * (Vault commits a change just before it writes the audit line that tells capture of it).
 */
public final class CapturedThrough {

  private static final Duration ONE_MILLI = Duration.ofMillis(1);

  private final Duration allowance;
  private volatile Instant value;

  public CapturedThrough(Duration allowance) {
    this.allowance = allowance;
  }

  /**
   * @param primaryHealthySince start of the last health check the primary passed, or null if it failed
   * @return the value after the step; empty until it was first established
   */
  public synchronized Optional<Instant> advance(Instant primaryHealthySince, boolean streamDelivering,
      boolean scansCurrent, Optional<Instant> oldestInFlight) {
    if (primaryHealthySince != null && streamDelivering && scansCurrent) {
      moveTowards(primaryHealthySince.minus(allowance), oldestInFlight);
    }
    return Optional.ofNullable(value);
  }

  /**
   * While the primary is sealed ({@link SealedPrimary}): nothing is committed, so there is no
   * allowance to keep back, only the changes heard of before the seal that are not yet published.
   *
   * @param quietThrough up to when the sealed primary committed nothing unheard of, or null if not known yet
   * @param streamWasDelivering the audit stream delivered at the last check before the seal
   */
  public synchronized Optional<Instant> advanceWhileSealed(Instant quietThrough, boolean streamWasDelivering,
      boolean scansCurrent, Optional<Instant> oldestInFlight) {
    if (quietThrough != null && streamWasDelivering && scansCurrent && value != null) {
      moveTowards(quietThrough, oldestInFlight);
    }
    return Optional.ofNullable(value);
  }

  private void moveTowards(Instant candidate, Optional<Instant> oldestInFlight) {
    if (oldestInFlight.isPresent() && !oldestInFlight.get().isAfter(candidate)) {
      candidate = oldestInFlight.get().minus(ONE_MILLI);
    }
    if (value == null || candidate.isAfter(value)) {
      value = candidate;
    }
  }

  /** Back to "not yet established", as at start: for a new epoch. */
  public synchronized void reset() {
    value = null;
  }

  /** The current value, or null before it was first established. */
  public Instant value() {
    return value;
  }
}
