package dev.vaultreplicator.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Everything logged in this test JVM: log4j2-test.xml copies every line to this file. */
public final class TestLog {

  public static final Path FILE = Path.of("target", "test-logs", "replicator-tests.log");

  private TestLog() {}

  public static String text() throws IOException {
    return Files.readString(FILE, StandardCharsets.UTF_8);
  }
}
