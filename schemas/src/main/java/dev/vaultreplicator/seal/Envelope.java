package dev.vaultreplicator.seal;

import static java.util.Objects.requireNonNull;

import dev.vaultreplicator.events.SecretChange;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Where sealed data belongs: the primary region, the epoch, and the mount, path and version of the
 * secret. It is the additional authenticated data of AES-GCM, so a ciphertext copied to another
 * path, version, region or epoch fails to open.
 */
public record Envelope(String region, long epoch, String mount, String path, long version) {

  // Bumped if the layout below ever changes, so that two layouts can never produce the same bytes.
  private static final String DOMAIN = "vault-replicator/envelope/v1";

  public Envelope {
    requireNonNull(region, "region");
    requireNonNull(mount, "mount");
    requireNonNull(path, "path");
  }

  public static Envelope of(SecretChange change) {
    return new Envelope(
        change.getSourceRegion(), change.getEpoch(), change.getMount(), change.getPath(), change.getSourceVersion());
  }

  /** Length-prefixed fields: ("a/b", "c") and ("a", "b/c") must not authenticate each other. */
  byte[] additionalAuthenticatedData() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + mount.length() + path.length());
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeString(out, DOMAIN);
      writeString(out, region);
      out.writeLong(epoch);
      writeString(out, mount);
      writeString(out, path);
      out.writeLong(version);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
