package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.testing.VaultKind;
import dev.vaultreplicator.testing.WriteLoad;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One of two apply instances of a region killed with SIGKILL under load: the other takes its partitions over. */
class ApplyHandOffIT extends ApplyCrashBase {

  /**
   * Once, on OpenBao: the hand-off is Kafka's group protocol and the killed instance's aborted
   * transaction (30 s), which is most of the minute this takes; the Vault only takes the writes.
   */
  @Override
  VaultKind vaultKind() {
    return VaultKind.OPENBAO;
  }

  @Test
  void shouldHandAKilledInstancesPartitionsToTheOtherInstanceOfTheRegion() throws Exception {
    WriteLoad load = started(new WriteLoad(primary, "load", KEYS, WRITE_EVERY));
    ApplyProcess killed = started(ApplyProcess.start(applySettings(workDir.resolve("state-a")), "killed"))
        .awaitRunning(WAIT);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Apply survivor = started(Apply.start(ApplyConfig.from(applySettings(workDir.resolve("state-b"))),
        KeyringLoader.fromFile(keyringFile), registry));
    await().atMost(WAIT).untilAsserted(() -> {
      Map<String, Set<Integer>> instances = partitionsByInstance(applyGroup());
      assertThat(instances).hasSize(2);
      assertThat(instances.values()).allSatisfy(partitions -> assertThat(partitions).isNotEmpty());
    });
    long appliedBeforeKill = load.versionsOn(standby) + APPLIED_BEFORE_KILL;

    await().atMost(WAIT).until(() -> load.versionsOn(standby) >= appliedBeforeKill);
    killed.kill();
    int writtenAtKill = load.written();
    await().atMost(WAIT).until(() -> load.written() >= writtenAtKill + WRITTEN_AFTER_KILL);
    int written = load.stop();

    awaitEveryVersionOnTheStandbyOnce(load, written);
    Map<String, Set<Integer>> instances = partitionsByInstance(applyGroup());
    assertThat(instances).hasSize(1);
    assertThat(instances.values().iterator().next()).containsExactlyInAnyOrder(0, 1, 2);
    assertThat(survivor.state()).isEqualTo(Apply.State.RUNNING);
    System.out.printf("kill -9 of one of two instances after %d versions written; %d written in all; the other "
        + "took over and adopted %.0f versions the killed one had written but not committed%n",
        writtenAtKill, written, counter(registry, "vault.apply.versions.adopted"));
  }
}
