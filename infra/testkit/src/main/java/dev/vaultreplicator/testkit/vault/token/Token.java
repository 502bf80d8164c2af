package dev.vaultreplicator.testkit.vault.token;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A service token. A zero {@code ttl} never expires (root-policy tokens). */
public record Token(String id, String accessor, List<String> policies, Map<String, String> meta, String displayName,
                    Instant creationTime, Duration creationTtl, Duration ttl, Duration explicitMaxTtl,
                    boolean renewable, int numUses, boolean orphan, String path, Instant issueTime,
                    Instant lastRenewal) {

    public boolean isRoot() {
        return policies.contains("root");
    }

    public boolean expires() {
        return !ttl.isZero();
    }

    public Instant expireTime() {
        return (lastRenewal == null ? issueTime : lastRenewal).plus(ttl);
    }

    public boolean isExpiredAt(Instant now) {
        return expires() && !expireTime().isAfter(now);
    }

    Token renewed(Duration newTtl, Instant now) {
        return new Token(id, accessor, policies, meta, displayName, creationTime, creationTtl, newTtl, explicitMaxTtl,
                renewable, numUses, orphan, path, issueTime, now);
    }
}
