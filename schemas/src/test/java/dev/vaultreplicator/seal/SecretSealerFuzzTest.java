package dev.vaultreplicator.seal;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.vaultreplicator.events.SealedData;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The opener authenticates exactly the genuine sealing: any change the fuzzer makes to the key
 * id, nonce, ciphertext or envelope fails with a {@link SealException} that holds no secret data.
 */
class SecretSealerFuzzTest {

  private static final String CANARY = "fuzz-canary-7d41";
  private static final SecretData SECRET = SecretData.ofJson("{\"password\":\"" + CANARY + "\"}");
  private static final Envelope ENVELOPE = new Envelope("east", 3, "secret", "app/db", 7);
  private static final SecretSealer SEALER = new SecretSealer(
      TestKeys.keyring("k1", "k1", TestKeys.randomKey(), "k2", TestKeys.randomKey()));
  private static final SealedData GENUINE = SEALER.seal(ENVELOPE, SECRET);

  @FuzzTest(maxDuration = "5m")
  void openAuthenticatesOnlyTheGenuineSealing(FuzzedDataProvider data) {
    String keyId = data.consumeBoolean() ? GENUINE.getKeyId() : data.consumeString(80);
    byte[] nonce = mutate(SecretSealer.bytes(GENUINE.getNonce()), data);
    byte[] ciphertext = mutate(SecretSealer.bytes(GENUINE.getCiphertext()), data);
    Envelope envelope = data.consumeBoolean() ? ENVELOPE
        : new Envelope(data.consumeString(8), data.consumeLong(), data.consumeString(8), data.consumeString(16), data.consumeLong());
    boolean genuine = keyId.equals(GENUINE.getKeyId()) && envelope.equals(ENVELOPE)
        && Arrays.equals(nonce, SecretSealer.bytes(GENUINE.getNonce())) && Arrays.equals(ciphertext, SecretSealer.bytes(GENUINE.getCiphertext()));

    try {
      SecretData opened = SEALER.open(envelope, new SealedData(keyId, ByteBuffer.wrap(nonce), ByteBuffer.wrap(ciphertext)));
      assertThat(genuine).as("opened something that was not the genuine sealing").isTrue();
      assertThat(opened).isEqualTo(SECRET);
    } catch (SealException e) {
      assertThat(genuine).as("refused the genuine sealing: %s", e.getMessage()).isFalse();
      assertThat(e.getMessage()).doesNotContain(CANARY);
    }
  }

  // Either keep the bytes, replace them wholesale, or flip the bytes the fuzzer picks.
  private static byte[] mutate(byte[] genuine, FuzzedDataProvider data) {
    switch (data.consumeInt(0, 2)) {
      case 0:
        return genuine;
      case 1:
        return data.consumeBytes(64);
      default:
        byte[] changed = genuine.clone();
        int flips = data.consumeInt(1, 4);
        for (int i = 0; i < flips; i++) {
          changed[data.consumeInt(0, changed.length - 1)] ^= data.consumeByte();
        }
        return changed;
    }
  }
}
