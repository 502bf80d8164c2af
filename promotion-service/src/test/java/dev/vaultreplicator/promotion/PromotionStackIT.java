package dev.vaultreplicator.promotion;

import dev.vaultreplicator.testing.OnBroker;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One broker per test class, a fresh {@link PromotionStack} per test, everything closed after. */
abstract class PromotionStackIT extends OnBroker {

  @TempDir
  Path workDir;

  PromotionStack stack;

  @BeforeEach
  void startStack() throws Exception {
    stack = new PromotionStack(kafka.bootstrapServers(), workDir);
  }

  @AfterEach
  void stopStack() throws Exception {
    stack.close();
  }
}
