package dev.vaultreplicator.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.events.SealedData;
import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SecretSealerPropertyTest {

  private static final SecretData SECRET = SecretData.ofJson("{\"password\":\"canary-3f9a1c-do-not-leak\"}");
  private static final Envelope ENVELOPE = new Envelope("east", 3, "secret", "app/db", 7);

  private final SecretSealer sealer = new SecretSealer(TestKeys.keyring("k1", "k1", TestKeys.randomKey()));

  @Property
  void shouldOpenWhatItSealed(@ForAll @Size(max = 512) byte[] json, @ForAll String region, @ForAll long epoch,
      @ForAll String mount, @ForAll String path, @ForAll long version) {
    Envelope envelope = new Envelope(region, epoch, mount, path, version);
    SecretData data = SecretData.ofJson(json);

    assertThat(sealer.open(envelope, sealer.seal(envelope, data))).isEqualTo(data);
  }

  @Property
  void shouldNotOpenWithAnyBitFlipped(@ForAll @IntRange(min = 0) int anyBit) {
    SealedData sealed = sealer.seal(ENVELOPE, SECRET);
    byte[] nonce = SecretSealer.bytes(sealed.getNonce());
    byte[] ciphertext = SecretSealer.bytes(sealed.getCiphertext());
    int bit = anyBit % ((nonce.length + ciphertext.length) * 8);
    byte[] target = bit < nonce.length * 8 ? nonce : ciphertext;
    int index = bit < nonce.length * 8 ? bit : bit - nonce.length * 8;
    target[index / 8] ^= (byte) (1 << (index % 8));
    SealedData flipped = new SealedData(sealed.getKeyId(), ByteBuffer.wrap(nonce), ByteBuffer.wrap(ciphertext));

    assertThatThrownBy(() -> sealer.open(ENVELOPE, flipped))
        .isInstanceOfSatisfying(SealException.class,
            e -> assertThat(e.reason()).isEqualTo(SealException.Reason.AUTHENTICATION_FAILED))
        .hasMessageContaining("altered ciphertext or nonce");
  }
}
