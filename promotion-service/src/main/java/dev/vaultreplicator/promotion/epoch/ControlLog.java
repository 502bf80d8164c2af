package dev.vaultreplicator.promotion.epoch;

import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.codec.EventCodec;
import dev.vaultreplicator.codec.EventDecodeException;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.log.PartitionLog;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The control topic as the promotion service uses it (design section 7, fencing by the log): a
 * claim to the next epoch is appended, then the partition is read back up to it. For each epoch
 * number the first record in the log wins, so two racing promotions, in one process or two, never
 * both win. Each claim has a key of its own, so compaction never lets a later claim replace the
 * first one.
 */
public final class ControlLog {

  /** What the log decided about a claim: {@code winner} is the first claim to that epoch. */
  public record Decision(EpochRecord winner, boolean won) { }

  private final PartitionLog log;
  private final EventCodec codec;

  public ControlLog(PartitionLog log, EventCodec codec) {
    this.log = log;
    this.codec = codec;
  }

  /** The current epoch: the highest number claimed, as its first claim says. Empty on an empty log. */
  public Optional<EpochRecord> current() {
    return claims(log.readAll()).current();
  }

  /** Appends {@code claim} and reads the log back to it. */
  public synchronized Decision claim(EpochRecord claim) {
    long offset = log.append("epoch-" + claim.getEpoch() + "/" + claim.getRequestId(), codec.encode(claim));
    EpochRecord winner = claims(log.readThrough(offset)).first(claim.getEpoch()).orElseThrow(() ->
        new ReplicatorException("the claim at offset " + offset + " of " + log.topic() + " did not read back"));
    return new Decision(winner, claim.getRequestId().equals(winner.getRequestId()));
  }

  private EpochClaims claims(Iterable<ConsumerRecord<String, byte[]>> records) {
    EpochClaims claims = new EpochClaims();
    for (ConsumerRecord<String, byte[]> record : records) {
      decode(record).ifPresent(claims::add);
    }
    return claims;
  }

  private Optional<EpochRecord> decode(ConsumerRecord<String, byte[]> record) {
    try {
      return Optional.of(codec.decode(record.value(), EpochRecord.class));
    } catch (EventDecodeException e) {
      return Optional.empty();
    }
  }
}
