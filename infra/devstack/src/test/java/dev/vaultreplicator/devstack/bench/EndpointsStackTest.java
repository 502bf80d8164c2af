package dev.vaultreplicator.devstack.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An endpoints file is checked whole before a single request: each mistake named with its key. */
class EndpointsStackTest {

  @TempDir
  Path dir;

  /** A file with every required key, its tokens from a file, and {@code more} lines after them. */
  private Path endpoints(String... more) throws IOException {
    Path token = dir.resolve("token");
    Files.writeString(token, "a-token\n");
    List<String> lines = new ArrayList<>(List.of("primary.address=http://primary:8200",
        "primary.token.file=" + token, "standby.address=https://standby:8200", "standby.region=west",
        "promotion.address=http://promotion:8088"));
    if (List.of(more).stream().noneMatch(line -> line.startsWith("standby.token"))) {
      lines.add("standby.token.file=" + token);
    }
    lines.addAll(List.of(more));
    Path file = dir.resolve("endpoints.properties");
    Files.writeString(file, String.join("\n", lines));
    return file;
  }

  @Test
  void shouldRunOnlyLatencyAndThroughputWhenTheFileGivesNoControlOfTheComponents() throws IOException {
    EndpointsStack stack = EndpointsStack.load(endpoints(), 100);

    assertThat(stack.standbyRegion()).isEqualTo("west");
    assertThat(stack.cannotRun(BenchStack.DETECT)).hasValue("the endpoints file gives no apply.stop, apply.start");
    assertThat(stack.cannotRun(BenchStack.BOOTSTRAP)).isPresent();
    assertThat(stack.cannotRun(BenchStack.SCAN)).hasValue(
        "the endpoints file gives no capture.stop, capture.start, capture.metrics");
    assertThat(stack.cannotRun(BenchStack.MEMORY)).isPresent();
    assertThat(stack.peakMemory()).isEmpty();
  }

  @Test
  void shouldRunEveryPhaseButMemoryWhenItCanStopAndStartBoth() throws IOException {
    EndpointsStack stack = EndpointsStack.load(endpoints("capture.metrics=http://capture:9464/metrics",
        "capture.stop=true", "capture.start=true", "apply.stop=true", "apply.start=true"), 100);

    assertThat(stack.cannotRun(BenchStack.DETECT)).isEmpty();
    assertThat(stack.cannotRun(BenchStack.BOOTSTRAP)).isEmpty();
    assertThat(stack.cannotRun(BenchStack.SCAN)).isEmpty();
    assertThat(stack.cannotRun(BenchStack.MEMORY)).isPresent();
  }

  @Test
  void shouldNameAnUnknownKeyAndListTheKnownOnes() throws IOException {
    Path file = endpoints("primary.tokn.file=x");

    assertThatThrownBy(() -> EndpointsStack.load(file, 100))
        .hasMessageContaining("unknown primary.tokn.file").hasMessageContaining("primary.token.file");
  }

  @Test
  void shouldNameAMissingRequiredKey() throws IOException {
    Path file = dir.resolve("short.properties");
    Files.writeString(file, "primary.address=http://primary:8200\nstandby.address=http://standby:8200\n"
        + "standby.region=west\n");

    assertThatThrownBy(() -> EndpointsStack.load(file, 100)).hasMessageEndingWith("promotion.address is required");
  }

  @Test
  void shouldRefuseAnAddressThatIsNotHttp() throws IOException {
    Path file = endpoints("primary.address=primary:8200");

    assertThatThrownBy(() -> EndpointsStack.load(file, 100))
        .hasMessageContaining("primary.address must be an http or https address");
  }

  @Test
  void shouldAskForExactlyOneSourceOfEachToken() throws IOException {
    Path file = endpoints("standby.token.env=HOME", "standby.token.file=" + dir.resolve("token"));

    assertThatThrownBy(() -> EndpointsStack.load(file, 100))
        .hasMessageContaining("give exactly one of standby.token.file and standby.token.env");
  }

  @Test
  void shouldSayWhichTokenVariableIsNotSet() throws IOException {
    Path file = endpoints("standby.token.env=VAULT_REPLICATOR_NOT_SET_ANYWHERE");

    assertThatThrownBy(() -> EndpointsStack.load(file, 100))
        .hasMessageContaining("standby.token.env names VAULT_REPLICATOR_NOT_SET_ANYWHERE, which is not set");
  }
}
