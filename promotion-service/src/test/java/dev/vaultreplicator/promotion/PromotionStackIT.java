package dev.vaultreplicator.promotion;

import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.VaultKind;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One broker per test class, a fresh {@link PromotionStack} per test, everything closed after;
 * each test runs on real OpenBao and on the emulator.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
abstract class PromotionStackIT extends OnBroker {

  @TempDir
  Path workDir;

  @Parameter
  VaultKind vaultKind;

  PromotionStack stack;

  @BeforeEach
  void startStack() throws Exception {
    stack = new PromotionStack(kafka.bootstrapServers(), workDir, vaultKind);
  }

  @AfterEach
  void stopStack() throws Exception {
    if (stack != null) { // null when the stack's Vault could not start (no bao: the test is skipped)
      stack.close();
    }
  }
}
