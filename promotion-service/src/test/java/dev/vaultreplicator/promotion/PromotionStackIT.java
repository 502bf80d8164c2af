package dev.vaultreplicator.promotion;

import dev.vaultreplicator.testkit.kafka.KafkaCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** One broker per test class, a fresh {@link PromotionStack} per test, everything closed after. */
abstract class PromotionStackIT {

  @TempDir
  static Path brokerDir;
  static KafkaCluster kafka;

  @TempDir
  Path workDir;

  PromotionStack stack;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaCluster.forTests(brokerDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }

  @BeforeEach
  void startStack() throws Exception {
    stack = new PromotionStack(kafka.bootstrapServers(), workDir);
  }

  @AfterEach
  void stopStack() throws Exception {
    stack.close();
  }
}
