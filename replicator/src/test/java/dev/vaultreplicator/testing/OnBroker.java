package dev.vaultreplicator.testing;

import dev.vaultreplicator.testkit.kafka.KafkaCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** A real broker for each integration test class, started before its first test and stopped after its last. */
public abstract class OnBroker {

  @TempDir
  static Path brokerDir;
  protected static KafkaCluster kafka;

  @BeforeAll
  static void startKafka() {
    kafka = KafkaCluster.forTests(brokerDir);
  }

  @AfterAll
  static void stopKafka() {
    kafka.close();
  }
}
