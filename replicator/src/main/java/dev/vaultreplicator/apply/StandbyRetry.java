package dev.vaultreplicator.apply;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.vaultreplicator.vault.VaultFailure;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries an event against an unavailable standby, backing off from the initial to the maximum
 * wait: never skip, never drop. One call blocks at most {@code budget}, well inside the Kafka
 * transaction's timeout; then it throws {@link StandbyUnavailableException}, the stream thread is
 * replaced, the open transaction aborted, and the event retried from the last commit. Warns once
 * per outage, logs each retry at DEBUG, and says when the standby answers again. A permanent
 * failure is rethrown as it is.
 */
final class StandbyRetry {

  private static final Logger LOG = LoggerFactory.getLogger(StandbyRetry.class);

  private final RetryPolicy<Object> policy;
  private final AtomicBoolean inOutage = new AtomicBoolean();

  StandbyRetry(Duration initial, Duration max, Duration budget, AtomicBoolean stopping, ApplyMetrics metrics) {
    this.policy = RetryPolicy.builder()
        .handleIf(e -> StandbyFailures.classify(e) == VaultFailure.RETRIABLE)
        .abortIf((result, failure) -> stopping.get())
        .withBackoff(initial, max)
        .withMaxRetries(-1)
        .withMaxDuration(budget)
        .onRetry(e -> {
          metrics.standbyRetry();
          if (inOutage.compareAndSet(false, true)) {
            LOG.warn("standby not writable, retrying with backoff (never skipping): {}",
                e.getLastException().getMessage());
          } else {
            LOG.debug("standby not writable, retry {}: {}", e.getAttemptCount(), e.getLastException().getMessage());
          }
        })
        .build();
  }

  /** Runs {@code call} until it succeeds, the budget is spent, apply stops, or it fails for good. */
  <T> T call(Supplier<T> call) {
    T result;
    try {
      result = Failsafe.with(policy).get(call::get);
    } catch (FailsafeException e) {
      throw new StandbyUnavailableException("interrupted while retrying the standby", e.getCause());
    } catch (RuntimeException e) {
      if (StandbyFailures.classify(e) == VaultFailure.RETRIABLE) {
        throw new StandbyUnavailableException("standby still not writable: " + e.getMessage(), e);
      }
      throw e;
    }
    if (inOutage.compareAndSet(true, false)) {
      LOG.info("standby writable again");
    }
    return result;
  }
}
