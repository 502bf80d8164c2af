package dev.vaultreplicator.seal;

import static dev.vaultreplicator.seal.SealException.Reason.AUTHENTICATION_FAILED;
import static dev.vaultreplicator.seal.SealException.Reason.MALFORMED;
import static dev.vaultreplicator.seal.SealException.Reason.UNKNOWN_KEY_ID;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.SealedData;
import dev.vaultreplicator.events.SecretChange;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretSealerTest {

  private static final String CANARY = "canary-3f9a1c-do-not-leak";
  private static final SecretData SECRET = SecretData.ofJson("{\"password\":\"" + CANARY + "\"}");
  private static final Envelope ENVELOPE = new Envelope("east", 3, "secret", "app/db", 7);

  private final String k1 = TestKeys.randomKey();
  private final SecretSealer sealer = new SecretSealer(TestKeys.keyring("k1", "k1", k1));

  @Test
  void shouldSealUnderTheCurrentKeyWithAFreshNonceEveryTime() {
    SealedData first = sealer.seal(ENVELOPE, SECRET);
    SealedData second = sealer.seal(ENVELOPE, SECRET);

    assertThat(first.getKeyId()).isEqualTo("k1");
    assertThat(first.getNonce().remaining()).isEqualTo(12);
    assertThat(first.getCiphertext().remaining()).isEqualTo(SECRET.size() + 16);
    assertThat(first.getNonce()).isNotEqualTo(second.getNonce());
    assertThat(first.getCiphertext()).isNotEqualTo(second.getCiphertext());
  }

  @Test
  void shouldNotOpenUnderAnotherKeyWithTheSameId() {
    SecretSealer other = new SecretSealer(TestKeys.keyring("k1", "k1", TestKeys.randomKey()));

    assertFails(() -> other.open(ENVELOPE, sealer.seal(ENVELOPE, SECRET)), AUTHENTICATION_FAILED, "key id 'k1'");
  }

  @Test
  void shouldNameAKeyIdTheKeyringDoesNotHold() {
    SecretSealer other = new SecretSealer(TestKeys.keyring("k2", "k2", TestKeys.randomKey(), "k3", TestKeys.randomKey()));

    assertFails(() -> other.open(ENVELOPE, sealer.seal(ENVELOPE, SECRET)), UNKNOWN_KEY_ID,
        "sealed under key id 'k1', which the keyring does not hold [k2, k3]");
  }

  @Test
  void shouldNotOpenWhenTheKeyIdIsRelabelledToAnotherHeldKey() {
    SecretSealer both = new SecretSealer(TestKeys.keyring("k1", "k1", k1, "k2", TestKeys.randomKey()));
    SealedData relabelled = both.seal(ENVELOPE, SECRET);
    relabelled.setKeyId("k2");

    assertFails(() -> both.open(ENVELOPE, relabelled), AUTHENTICATION_FAILED, "key id 'k2'");
  }

  @Test
  void shouldOpenDataSealedUnderAnOlderKeyAfterRotation() {
    SealedData sealedBefore = sealer.seal(ENVELOPE, SECRET);
    SecretSealer rotated = new SecretSealer(TestKeys.keyring("k2", "k1", k1, "k2", TestKeys.randomKey()));

    assertThat(rotated.open(ENVELOPE, sealedBefore)).isEqualTo(SECRET);
    assertThat(rotated.seal(ENVELOPE, SECRET).getKeyId()).isEqualTo("k2");
  }

  static Stream<Envelope> movedEnvelopes() {
    return Stream.of(
        new Envelope("west", 3, "secret", "app/db", 7),
        new Envelope("east", 4, "secret", "app/db", 7),
        new Envelope("east", 3, "kv", "app/db", 7),
        new Envelope("east", 3, "secret", "app/web", 7),
        new Envelope("east", 3, "secret", "app/db", 8),
        new Envelope("east", 3, "secret/app", "db", 7));
  }

  @ParameterizedTest
  @MethodSource("movedEnvelopes")
  void shouldNotOpenInAnyOtherEnvelope(Envelope moved) {
    SealedData sealed = sealer.seal(ENVELOPE, SECRET);

    assertFails(() -> sealer.open(moved, sealed), AUTHENTICATION_FAILED, "another envelope");
  }

  @Test
  void shouldRefuseSealedDataOfTheWrongShape() {
    SealedData sealed = sealer.seal(ENVELOPE, SECRET);
    SealedData shortNonce = new SealedData("k1", ByteBuffer.allocate(11), sealed.getCiphertext());
    SealedData shortCiphertext = new SealedData("k1", sealed.getNonce(), ByteBuffer.allocate(15));

    assertFails(() -> sealer.open(ENVELOPE, shortNonce), MALFORMED, "nonce is 11 bytes, expected 12");
    assertFails(() -> sealer.open(ENVELOPE, shortCiphertext), MALFORMED, "ciphertext is 15 bytes");
  }

  @Test
  void shouldKeepSecretDataAndKeysOutOfEveryMessageAndToString() {
    SealedData sealed = sealer.seal(ENVELOPE, SECRET);
    SecretSealer wrongKey = new SecretSealer(TestKeys.keyring("k1", "k1", TestKeys.randomKey()));
    List<Throwable> failures = Stream.<ThrowingCallable>of(
            () -> wrongKey.open(ENVELOPE, sealed),
            () -> sealer.open(new Envelope("west", 3, "secret", "app/db", 7), sealed),
            () -> sealer.open(ENVELOPE, new SealedData("k9", sealed.getNonce(), sealed.getCiphertext())))
        .map(org.assertj.core.api.Assertions::catchThrowable).toList();

    assertThat(failures).hasSize(3).allSatisfy(failure -> assertThat(failure).isInstanceOf(SealException.class));
    for (String shown : Stream.concat(failures.stream().flatMap(SecretSealerTest::causalChainText),
        Stream.of(SECRET.toString(), sealer.toString(), TestKeys.keyring("k1", "k1", k1).toString())).toList()) {
      assertThat(shown).doesNotContain(CANARY).doesNotContain(k1)
          .doesNotContain(HexFormat.of().formatHex(Base64.getDecoder().decode(k1)));
    }
    assertThat(SECRET.toString()).isEqualTo("SecretData[redacted, " + SECRET.size() + " bytes]");
  }

  @Test
  void shouldTakeTheEnvelopeOfASecretChangeFromItsFields() {
    SecretChange change = SecretChange.newBuilder().setSourceRegion("east").setEpoch(3).setMount("secret")
        .setPath("app/db").setEngine(Engine.KV_V2).setOperation(Operation.WRITE).setSourceVersion(7)
        .setCommitTime(Instant.EPOCH).setCaptureTime(Instant.EPOCH).build();

    assertThat(Envelope.of(change)).isEqualTo(ENVELOPE);
  }

  private static Stream<String> causalChainText(Throwable failure) {
    return Stream.iterate(failure, t -> t != null, Throwable::getCause).map(t -> t + " " + List.of(t.getStackTrace()));
  }

  private static void assertFails(ThrowingCallable open, SealException.Reason reason, String message) {
    assertThatThrownBy(open)
        .isInstanceOfSatisfying(SealException.class, e -> assertThat(e.reason()).isEqualTo(reason))
        .hasMessageContaining(message);
  }
}
