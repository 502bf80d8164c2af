package dev.vaultreplicator.apply;

import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.cli.ReplicatorCli;
import dev.vaultreplicator.testkit.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/** {@code replicator apply} in a JVM of its own, so that a test can kill it with SIGKILL mid-transaction. */
final class ApplyProcess implements AutoCloseable {

  private final Process process;
  private final Path logFile;

  private ApplyProcess(Process process, Path logFile) {
    this.process = process;
    this.logFile = logFile;
  }

  private static final Path LOGS = Path.of("target", "test-logs");

  /** Starts apply on these settings; its log is {@code target/test-logs/apply-<name>-<n>.log}. */
  static ApplyProcess start(Map<String, String> settings, String name) {
    String id = name + "-" + System.nanoTime();
    Path config = LOGS.resolve("apply-" + id + ".properties");
    Properties properties = new Properties();
    properties.putAll(settings);
    try {
      Files.createDirectories(LOGS);
      try (Writer out = Files.newBufferedWriter(config)) {
        properties.store(out, "ApplyProcess");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Path logFile = LOGS.resolve("apply-" + id + ".log");
    // Not log4j2-test.xml: that one would write over the test JVM's own log file.
    Process process = ChildJvm.start(ReplicatorCli.class.getName(),
        List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=log4j2-child.xml"),
        List.of("apply", "--config", config.toString()), logFile);
    return new ApplyProcess(process, logFile);
  }

  ApplyProcess awaitRunning(Duration atMost) {
    await("apply running (" + logFile + ")").atMost(atMost).until(() -> {
      if (!process.isAlive()) {
        throw new AssertionError("apply exited with " + process.exitValue() + ":\n" + ChildJvm.tail(logFile, 30));
      }
      return log().contains("apply STARTING -> RUNNING");
    });
    return this;
  }

  /** SIGKILL: no shutdown hook, no commit, no goodbye to the group. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new AssertionError("apply survived SIGKILL");
    }
  }

  String log() {
    try {
      return Files.exists(logFile) ? Files.readString(logFile) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
  }
}
