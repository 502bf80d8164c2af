package dev.vaultreplicator.promotion.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RecentTest {

  /** A clock the test moves. */
  private static final class Hand extends Clock {
    Instant now = Instant.parse("2026-12-02T10:00:00Z");

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void shouldComputeAtMostOncePerMaxAgeAndAgainOnceItHasPassed() {
    Hand clock = new Hand();
    AtomicInteger computed = new AtomicInteger();
    Recent<Integer> recent = new Recent<>(computed::incrementAndGet, Duration.ofSeconds(1), clock);

    int first = recent.get();
    clock.now = clock.now.plusMillis(999);
    int withinMaxAge = recent.get();
    clock.now = clock.now.plusMillis(1);
    int afterMaxAge = recent.get();

    assertThat(first).isEqualTo(1);
    assertThat(withinMaxAge).isEqualTo(1);
    assertThat(afterMaxAge).isEqualTo(2);
    assertThat(computed).hasValue(2);
  }
}
