package dev.vaultreplicator.vault;

import java.time.Duration;
import java.time.Instant;

/**
 * What {@code auth/token/lookup-self} says of the caller's token.
 *
 * @param ttl what is left of it; zero for a token that never expires (root)
 * @param expireTime null for a token that never expires
 * @param creationTtl the TTL it was created with; zero for a token that never expires
 */
public record TokenInfo(Duration ttl, boolean renewable, Instant expireTime, String displayName,
    Duration creationTtl) {

  public boolean expires() {
    return expireTime != null || !ttl.isZero();
  }
}
