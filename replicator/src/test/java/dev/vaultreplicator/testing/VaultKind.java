package dev.vaultreplicator.testing;

import dev.vaultreplicator.testkit.process.FreePorts;
import dev.vaultreplicator.testkit.vault.VaultEmulator;
import dev.vaultreplicator.testkit.vault.VaultServer;
import dev.vaultreplicator.testkit.vault.openbao.RealOpenBao;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * Which Vault a pipeline test runs on: a real OpenBao, the authority on Vault's behaviour (the bao
 * binary, or a container where only Docker is there: {@link RealOpenBao}), or the emulator, kept
 * for faults a real server cannot be made to show. Tests that run on both are
 * {@code @ParameterizedClass} over this enum.
 */
public enum VaultKind {
  OPENBAO, EMULATOR;

  /** A fresh Vault in memory: fast to start, its data gone when it stops. */
  public TestVault start() {
    return start(false);
  }

  /** A fresh Vault whose data survives {@link TestVault#stop()}, {@link TestVault#kill()} and a start. */
  public TestVault startPersistent() {
    return start(true);
  }

  private TestVault start(boolean persistent) {
    if (this == EMULATOR && !persistent) {
      return new TestVault(VaultEmulator.start());
    }
    Path directory = temporaryDirectory();
    if (this == EMULATOR) {
      int port = FreePorts.allocate();
      String token = "root-" + UUID.randomUUID();
      return new TestVault(devices -> VaultEmulator.builder().port(port).rootToken(token).dataDir(directory)
          .auditDevices(devices).start());
    }
    Optional<VaultServer> server = RealOpenBao.start(directory, persistent);
    Assumptions.assumeTrue(server.isPresent(), RealOpenBao.unavailable(persistent));
    return new TestVault(server.get());
  }

  private static Path temporaryDirectory() {
    try {
      return Files.createTempDirectory("test-vault");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
