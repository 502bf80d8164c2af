package dev.vaultreplicator.bench;

import dev.vaultreplicator.seal.Envelope;
import dev.vaultreplicator.seal.SecretData;

/** One database credential as a KV v2 secret: 133 bytes of JSON. Both benchmarks measure this. */
final class TypicalSecret {

  static final Envelope ENVELOPE = new Envelope("east", 3, "secret", "payments/prod/database", 17);

  static final SecretData DATA = SecretData.ofJson("{\"username\":\"payments_app\",\"password\":\"" + "x".repeat(40)
      + "\",\"host\":\"db.internal.example\",\"port\":5432,\"tls\":true}");

  private TypicalSecret() {}
}
