package dev.vaultreplicator.promotion;

import dev.vaultreplicator.testing.OnBroker;
import dev.vaultreplicator.testing.VaultKind;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One broker per test class, a fresh {@link PromotionStack} per test on {@link #vaultKind()}, everything closed after. */
abstract class PromotionStackBase extends OnBroker {

  @TempDir
  Path workDir;

  PromotionStack stack;

  abstract VaultKind vaultKind();

  /** Whether every component's token holds exactly its shipped policy instead of root. */
  boolean leastPrivilege() {
    return false;
  }

  @BeforeEach
  void startStack() throws Exception {
    stack = new PromotionStack(kafka.bootstrapServers(), workDir, vaultKind(), leastPrivilege());
  }

  @AfterEach
  void stopStack() throws Exception {
    if (stack != null) { // null when the stack's Vault could not start (no bao: the test is skipped)
      stack.close();
    }
  }
}
