package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TriggerQueueTest {

  private static final Instant T = Instant.parse("2026-11-24T10:00:00Z");
  private final InFlight inFlight = new InFlight();
  private final TriggerQueue queue = new TriggerQueue(2);

  @Test
  void shouldMergeASecondChangeToAWaitingTargetAndKeepTheOlderTicket() throws Exception {
    Target a = Target.kv(2, "secret", "a");

    assertThat(queue.offer(trigger(a, T))).isEqualTo(TriggerQueue.Offer.QUEUED);
    assertThat(queue.offer(trigger(a, T.plusSeconds(1)))).isEqualTo(TriggerQueue.Offer.MERGED);

    assertThat(queue.depth()).isEqualTo(1);
    assertThat(inFlight.oldest()).contains(T);
    assertThat(inFlight.size()).isEqualTo(1);
    assertThat(queue.poll(Duration.ZERO).commitTime()).isEqualTo(T);
  }

  @Test
  void shouldReadAWaitingWriteWholeOnceASecondChangeMergesIntoIt() throws Exception {
    Target a = Target.kv(2, "secret", "a");
    queue.offer(new TriggerQueue.Trigger(a, T, inFlight.open(T), 4));

    queue.offer(new TriggerQueue.Trigger(a, T.plusSeconds(1), inFlight.open(T.plusSeconds(1)), 5));

    TriggerQueue.Trigger merged = queue.poll(Duration.ZERO);
    assertThat(merged.writtenVersion()).as("two changes: only the key's metadata tells what they did").isZero();
    assertThat(merged.commitTime()).isEqualTo(T);
  }

  @Test
  void shouldRefuseWithoutBlockingWhenFull() {
    queue.offer(trigger(Target.kv(2, "secret", "a"), T));
    queue.offer(trigger(Target.kv(2, "secret", "b"), T));

    assertThat(queue.offer(trigger(Target.kv(2, "secret", "c"), T))).isEqualTo(TriggerQueue.Offer.FULL);
  }

  @Test
  void shouldHandOutTriggersOldestFirst() throws Exception {
    queue.offer(trigger(Target.kv(2, "secret", "a"), T));
    queue.offer(trigger(Target.policy("p"), T.plusSeconds(1)));

    assertThat(queue.poll(Duration.ZERO).target()).isEqualTo(Target.kv(2, "secret", "a"));
    assertThat(queue.poll(Duration.ZERO).target()).isEqualTo(Target.policy("p"));
    assertThat(queue.poll(Duration.ofMillis(10))).isNull();
  }

  private TriggerQueue.Trigger trigger(Target target, Instant at) {
    return new TriggerQueue.Trigger(target, at, inFlight.open(at));
  }
}
