package dev.vaultreplicator.apply;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A rejected record becomes its dead-letter form: the original bytes, the original key and
 * headers, plus {@code vr.dlq.*} headers saying why and where it came from. The log line names the
 * place and the reason, never the content. Under {@code poison.policy=stop} apply stops instead.
 */
final class DeadLetters implements FixedKeyProcessor<String, Inbound, byte[]> {

  static final String REASON = "vr.dlq.reason";
  static final String DETAIL = "vr.dlq.detail";
  static final String SOURCE = "vr.dlq.source";

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

  private final PoisonPolicy policy;
  private final ApplyMetrics metrics;
  private FixedKeyProcessorContext<String, byte[]> context;

  DeadLetters(PoisonPolicy policy, ApplyMetrics metrics) {
    this.policy = policy;
    this.metrics = metrics;
  }

  @Override
  public void init(FixedKeyProcessorContext<String, byte[]> context) {
    this.context = context;
  }

  @Override
  public void process(FixedKeyRecord<String, Inbound> record) {
    Inbound.Rejected rejected = (Inbound.Rejected) record.value();
    String source = context.recordMetadata().map(DeadLetters::place).orElse("unknown");
    String keyHash = record.key() == null ? "none" : Integer.toHexString(record.key().hashCode());
    if (policy == PoisonPolicy.STOP) {
      throw new ApplyStoppedException("poison record at " + source + " (key hash " + keyHash + "): "
          + rejected.reason().label() + ", " + rejected.detail() + "; poison.policy=stop", null);
    }
    LOG.warn("dead-lettered the record at {} (key hash {}): {}, {}", source, keyHash, rejected.reason().label(),
        rejected.detail());
    metrics.deadLettered(rejected.reason());
    Headers headers = record.headers();
    headers.add(REASON, bytes(rejected.reason().label()));
    headers.add(DETAIL, bytes(rejected.detail()));
    headers.add(SOURCE, bytes(source));
    context.forward(record.withValue(rejected.original()));
  }

  private static String place(RecordMetadata where) {
    return where.topic() + "-" + where.partition() + "@" + where.offset();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
