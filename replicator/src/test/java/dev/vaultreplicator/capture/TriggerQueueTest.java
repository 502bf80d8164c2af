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
  void shouldKeepTheVersionsOfDataWritesOneAfterAnotherWhenTheyMerge() throws Exception {
    Target a = Target.kv(2, "secret", "a");
    queue.offer(TriggerQueue.Trigger.written(a, T, inFlight.open(T), 4));

    queue.offer(TriggerQueue.Trigger.written(a, T.plusSeconds(1), inFlight.open(T.plusSeconds(1)), 5));
    queue.offer(TriggerQueue.Trigger.written(a, T.plusSeconds(2), inFlight.open(T.plusSeconds(2)), 6));

    TriggerQueue.Trigger merged = queue.poll(Duration.ZERO);
    assertThat(merged.writtenFrom()).isEqualTo(4);
    assertThat(merged.writtenTo()).isEqualTo(6);
    assertThat(merged.commitTime()).isEqualTo(T);
  }

  @Test
  void shouldReadAWaitingWriteWholeOnceAnyOtherChangeMergesIntoIt() throws Exception {
    Target a = Target.kv(2, "secret", "a");
    Target b = Target.kv(2, "secret", "b");
    queue.offer(TriggerQueue.Trigger.written(a, T, inFlight.open(T), 4));
    queue.offer(TriggerQueue.Trigger.written(b, T, inFlight.open(T), 4));

    queue.offer(new TriggerQueue.Trigger(a, T.plusSeconds(1), inFlight.open(T.plusSeconds(1))));
    queue.offer(TriggerQueue.Trigger.written(b, T.plusSeconds(1), inFlight.open(T.plusSeconds(1)), 6));

    assertThat(queue.poll(Duration.ZERO).writtenFrom()).as("a metadata change: only the metadata tells").isZero();
    assertThat(queue.poll(Duration.ZERO).writtenFrom()).as("a version in between was not heard of").isZero();
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
