package dev.vaultreplicator.promotion.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.events.EpochRecord;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochClaimsTest {

  @Test
  void shouldKeepTheFirstClaimToEachEpochAndCallTheHighestCurrent() {
    EpochClaims claims = new EpochClaims();
    claims.add(claim(1, "east"));
    claims.add(claim(2, "west"));
    claims.add(claim(2, "north"));

    assertThat(claims.first(2).orElseThrow().getPrimaryRegion()).isEqualTo("west");
    assertThat(claims.current().orElseThrow().getPrimaryRegion()).isEqualTo("west");
    assertThat(new EpochClaims().current()).isEmpty();
  }

  private static EpochRecord claim(long epoch, String region) {
    return EpochRecord.newBuilder().setEpoch(epoch).setPrimaryRegion(region).setSince(Instant.EPOCH)
        .setRequestedBy("test").setReason("test").setForced(false).setRequestId(region).build();
  }
}
