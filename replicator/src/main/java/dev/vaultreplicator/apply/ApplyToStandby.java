package dev.vaultreplicator.apply;

import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.SecretChange;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Third step: each secret and policy change is made true on the standby (retrying while the
 * standby is unavailable), and the key's state store entry moves with it in the same Kafka
 * transaction as the consumed offset. Heartbeats and rejected records pass on; applied changes
 * end here.
 */
final class ApplyToStandby implements FixedKeyProcessor<String, Inbound, Inbound> {

  static final String STORE = "standby-versions";

  private final StandbyApplier applier;
  private final StandbyRetry retry;
  private final ApplyMetrics metrics;
  private final Clock clock;
  private FixedKeyProcessorContext<String, Inbound> context;
  private KeyValueStore<String, KeyState> store;

  ApplyToStandby(StandbyApplier applier, StandbyRetry retry, ApplyMetrics metrics, Clock clock) {
    this.applier = applier;
    this.retry = retry;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Inbound> context) {
    this.context = context;
    this.store = context.getStateStore(STORE);
  }

  @Override
  public void process(FixedKeyRecord<String, Inbound> record) {
    Inbound inbound = record.value();
    if (inbound instanceof Inbound.Secret secret) {
      secret(secret.change(), secret);
    } else if (inbound instanceof Inbound.Policy policy) {
      outcome("POLICY_" + policy.change().getOperation(), retry.call(() -> applier.policy(policy.change())),
          policy.change().getCommitTime());
    } else {
      context.forward(record);
    }
  }

  private void secret(SecretChange change, Inbound.Secret secret) {
    String operation = change.getOperation().name();
    if (change.getEngine() == Engine.KV_V1) {
      outcome("KV1_" + operation, retry.call(() -> applier.kv1(change, secret.data())), change.getCommitTime());
      return;
    }
    String key = change.getMount() + "/" + change.getPath();
    KeyState known = store.get(key);
    StandbyApplier.Outcome outcome = retry.call(() -> applier.kv2(change, secret.data(), known));
    if (outcome instanceof StandbyApplier.Outcome.Applied applied) {
      if (applied.state() == null) {
        store.delete(key);
      } else {
        store.put(key, applied.state());
      }
    }
    outcome(operation, outcome, change.getCommitTime());
  }

  private void outcome(String operation, StandbyApplier.Outcome outcome, Instant commitTime) {
    if (outcome instanceof StandbyApplier.Outcome.Skipped skipped) {
      metrics.skipped(skipped.reason());
      return;
    }
    if (((StandbyApplier.Outcome.Applied) outcome).adopted()) {
      metrics.adopted();
    }
    metrics.applied(operation, Duration.between(commitTime, clock.instant()));
  }
}
