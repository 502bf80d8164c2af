package dev.vaultreplicator.apply;

import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.seal.SecretSealer;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/** Apply's Kafka Streams topology, in the order data flows through it. */
public final class ApplyTopology {

  /** What the steps need; built by {@link Apply} from config, by tests from their fixtures. */
  record Parts(ApplyTopics topics, String region, EventCodec codec, SecretSealer sealer,
      EpochFence.CurrentEpoch epochs, StandbyApplier applier, StandbyRetry retry, PoisonPolicy poisonPolicy,
      ApplyMetrics metrics, Clock clock) { }

  private ApplyTopology() {}

  static Topology build(Parts parts) {
    StreamsBuilder builder = new StreamsBuilder();
    // Per-key standby state, changelogged, committed with the offsets (exactly_once_v2).
    builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(ApplyToStandby.STORE),
        Serdes.String(), KeyStateSerde.serde()));

    KStream<String, Inbound> handled = builder
        .stream(parts.topics().changes(), Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("changes"))
        .processValues(() -> new DecodeAndOpen(parts.codec(), parts.sealer(), parts.metrics()), Named.as("decode-and-open"))
        // A fenced primary's late writes must not reach the standby.
        .processValues(() -> new EpochFence(parts.epochs(), parts.region(), parts.metrics()), Named.as("epoch-fence"))
        .processValues(() -> new ApplyToStandby(parts.applier(), parts.retry(), parts.metrics(), parts.clock()),
            Named.as("apply-to-standby"), ApplyToStandby.STORE);

    // What reaches here is a heartbeat (applied changes end above) or a rejected record.
    handled.split(Named.as("handled-"))
        .branch((key, inbound) -> inbound instanceof Inbound.Rejected, Branched.withConsumer(rejected -> rejected
            .processValues(() -> new DeadLetters(parts.poisonPolicy(), parts.metrics()), Named.as("dead-letter"))
            .to(parts.topics().dlq(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("dlq")),
            "rejected"))
        .defaultBranch(Branched.withConsumer(heartbeats -> heartbeats
            .process(() -> new Watermarks(parts.codec(), parts.region(), parts.metrics(), parts.clock()),
                Named.as("watermark"))
            .to(parts.topics().applied(), Produced.with(Serdes.String(), Serdes.ByteArray()).withName("applied")),
            "heartbeat"));
    return builder.build();
  }
}
