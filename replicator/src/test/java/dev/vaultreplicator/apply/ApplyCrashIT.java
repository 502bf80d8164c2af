package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.seal.KeyringLoader;
import dev.vaultreplicator.testing.TestLog;
import dev.vaultreplicator.testing.VaultKind;
import dev.vaultreplicator.testing.WriteLoad;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Apply killed with SIGKILL in the middle of a load of writes, between a Vault write and the
 * commit that records it: the standby ends with every version, and none twice.
 */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
class ApplyCrashIT extends ApplyCrashBase {

  @Parameter
  VaultKind vaultKind;

  @Override
  VaultKind vaultKind() {
    return vaultKind;
  }

  @Test
  void shouldLoseAndDoubleNothingWhenApplyIsKilledDuringALoadOfWritesAndRestarted() throws Exception {
    // Apply starts on a backlog, so that it is busy when it is killed.
    WriteLoad load = started(new WriteLoad(primary, "load", KEYS, WRITE_EVERY));
    ApplyProcess killed = started(ApplyProcess.start(applySettings(workDir.resolve("state")), "killed"))
        .awaitRunning(WAIT);

    await().atMost(WAIT).until(() -> load.versionsOn(standby) >= APPLIED_BEFORE_KILL);
    killed.kill();
    int writtenAtKill = load.written();
    long appliedAtKill = load.versionsOn(standby);
    // The same state directory, as after a restart on the same machine.
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Apply restarted = started(Apply.start(ApplyConfig.from(applySettings(workDir.resolve("state"))),
        KeyringLoader.fromFile(keyringFile), registry));
    await().atMost(WAIT).until(() -> load.written() >= writtenAtKill + WRITTEN_AFTER_KILL);
    int written = load.stop();

    awaitEveryVersionOnTheStandbyOnce(load, written);
    assertThat(appliedAtKill).isLessThan(written);
    assertThat(restarted.state()).isEqualTo(Apply.State.RUNNING);
    assertThat(killed.log() + TestLog.text()).doesNotContain(WriteLoad.CANARY);
    System.out.printf("kill -9 after %d of %d written versions were applied; %d written in all; after the restart %.0f versions "
            + "adopted (written before the kill, not committed), %.0f skipped as already applied%n",
        appliedAtKill, writtenAtKill, written, counter(registry, "vault.apply.versions.adopted"),
        counter(registry, "vault.apply.skipped"));
  }
}
