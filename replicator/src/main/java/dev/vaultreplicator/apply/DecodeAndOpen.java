package dev.vaultreplicator.apply;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Heartbeat;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.PolicyChange;
import dev.vaultreplicator.events.PolicyOperation;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.SealException;
import dev.vaultreplicator.seal.SecretSealer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * First step of apply: bytes from the changes topic become an {@link Inbound} event, its secret
 * data opened; anything that cannot be read, opened or is missing a field it needs becomes
 * {@link Inbound.Rejected} with a reason. Never throws for bad input.
 */
final class DecodeAndOpen implements FixedKeyProcessor<String, byte[], Inbound> {

  private final EventCodec codec;
  private final SecretSealer sealer;
  private final ApplyMetrics metrics;
  private FixedKeyProcessorContext<String, Inbound> context;

  DecodeAndOpen(EventCodec codec, SecretSealer sealer, ApplyMetrics metrics) {
    this.codec = codec;
    this.sealer = sealer;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, Inbound> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, byte[]> record) {
    if (record.value() == null) {
      // Capture's tombstone: compaction will remove what it names; a reader behind it has nothing to do.
      metrics.skipped(SkipReason.TOMBSTONE);
      return;
    }
    context.forward(record.withValue(read(record.value())));
  }

  private Inbound read(byte[] bytes) {
    SpecificRecord event;
    try {
      event = codec.decode(bytes);
    } catch (EventDecodeException e) {
      return new Inbound.Rejected(bytes, DlqReason.of(e.reason()), e.reason().name());
    }
    if (event instanceof SecretChange change) {
      return secret(bytes, change);
    }
    if (event instanceof PolicyChange change) {
      return policy(bytes, change);
    }
    if (event instanceof Heartbeat heartbeat) {
      return heartbeat(bytes, heartbeat);
    }
    return new Inbound.Rejected(bytes, DlqReason.UNDECODABLE, "a " + event.getClass().getSimpleName()
        + " does not belong on the changes topic");
  }

  private Inbound secret(byte[] bytes, SecretChange change) {
    String missing = missingField(change);
    if (missing != null) {
      return new Inbound.Rejected(bytes, DlqReason.MISSING_FIELD, missing);
    }
    if (change.getSealedData() == null) {
      return new Inbound.Secret(bytes, change, null);
    }
    try {
      return new Inbound.Secret(bytes, change, sealer.open(Envelope.of(change), change.getSealedData()));
    } catch (SealException e) {
      return new Inbound.Rejected(bytes, DlqReason.of(e.reason()), e.reason().name());
    }
  }

  private static String missingField(SecretChange change) {
    if (change.getSourceRegion().isEmpty() || change.getMount().isEmpty() || change.getPath().isEmpty()) {
      return "source_region, mount and path must not be empty";
    }
    if (change.getEngine() == Engine.UNKNOWN || change.getOperation() == Operation.UNKNOWN) {
      return "engine or operation unknown to this build";
    }
    boolean kv1 = change.getEngine() == Engine.KV_V1;
    return switch (change.getOperation()) {
      case WRITE -> kv1 && change.getSealedData() == null ? "sealed_data, needed by a KV v1 write"
          : !kv1 && change.getSourceVersion() < 1 ? "source_version of a KV v2 write" : null;
      case SOFT_DELETE, UNDELETE, DESTROY -> kv1 || change.getVersions().isEmpty()
          ? "versions, needed by a KV v2 " + change.getOperation() : null;
      case METADATA -> kv1 || change.getMetadata() == null ? "metadata, needed by a KV v2 METADATA" : null;
      default -> null;
    };
  }

  private static Inbound policy(byte[] bytes, PolicyChange change) {
    if (change.getName().isEmpty() || change.getOperation() == PolicyOperation.UNKNOWN
        || change.getSourceRegion().isEmpty()) {
      return new Inbound.Rejected(bytes, DlqReason.MISSING_FIELD, "policy name, region or operation");
    }
    if (change.getOperation() == PolicyOperation.WRITE && change.getPolicy() == null) {
      return new Inbound.Rejected(bytes, DlqReason.MISSING_FIELD, "policy rules, needed by a policy WRITE");
    }
    return new Inbound.Policy(bytes, change);
  }

  private Inbound heartbeat(byte[] bytes, Heartbeat heartbeat) {
    RecordMetadata where = context.recordMetadata().orElseThrow();
    if (heartbeat.getPartition() != where.partition()) {
      return new Inbound.Rejected(bytes, DlqReason.MISSING_FIELD, "a heartbeat for partition "
          + heartbeat.getPartition() + " found on partition " + where.partition());
    }
    return new Inbound.Beat(bytes, heartbeat, where.partition(), where.offset());
  }
}
