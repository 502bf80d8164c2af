package dev.vaultreplicator.promotion.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * A value computed at most once per {@code maxAge}, however many callers ask: {@code /v1/status}
 * runs every check of every region (Vault calls), and each open dashboard asks for it every few
 * seconds. Callers that arrive while it is computed wait for that computation.
 */
final class Recent<T> {

  private final Supplier<T> compute;
  private final Duration maxAge;
  private final Clock clock;
  private T value;
  private Instant computedAt;

  Recent(Supplier<T> compute, Duration maxAge, Clock clock) {
    this.compute = compute;
    this.maxAge = maxAge;
    this.clock = clock;
  }

  synchronized T get() {
    Instant now = clock.instant();
    if (computedAt == null || !now.isBefore(computedAt.plus(maxAge))) {
      value = compute.get();
      computedAt = clock.instant();
    }
    return value;
  }
}
