package dev.vaultreplicator.promotion.epoch;

import dev.vaultreplicator.events.EpochRecord;
import java.util.Optional;
import java.util.TreeMap;

/** The first claim to each epoch number, in log order; later claims to a number are void. */
final class EpochClaims {

  private final TreeMap<Long, EpochRecord> first = new TreeMap<>();

  void add(EpochRecord claim) {
    first.putIfAbsent(claim.getEpoch(), claim);
  }

  Optional<EpochRecord> first(long epoch) {
    return Optional.ofNullable(first.get(epoch));
  }

  Optional<EpochRecord> current() {
    return first.isEmpty() ? Optional.empty() : Optional.of(first.lastEntry().getValue());
  }
}
