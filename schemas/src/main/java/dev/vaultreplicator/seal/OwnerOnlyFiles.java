package dev.vaultreplicator.seal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/** Files that hold secrets (a keyring, API token hashes) are refused when anyone but their owner may access them, as ssh refuses a private key. */
public final class OwnerOnlyFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

  private OwnerOnlyFiles() {}

  /**
   * @param source how to name the file in the message, e.g. "keyring file /etc/vr/keyring"
   * @return why the file must not be used, or empty when only its owner can access it
   */
  public static Optional<String> problem(Path file, String source) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (NoSuchFileException e) {
      return Optional.of(source + " does not exist");
    } catch (UnsupportedOperationException e) {
      return Optional.of(source + " is on a file system without POSIX permissions; its access cannot be checked");
    } catch (IOException e) {
      return Optional.of(source + " cannot be read: " + e.getClass().getSimpleName());
    }
    if (!OWNER_ONLY.containsAll(permissions)) {
      return Optional.of(source + " is accessible by group or others (" + PosixFilePermissions.toString(permissions)
          + "); allow its owner only: chmod 600 " + file);
    }
    return Optional.empty();
  }
}
