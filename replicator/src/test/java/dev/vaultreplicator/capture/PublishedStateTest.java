package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.events.Engine;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.SecretChange;
import dev.vaultreplicator.vault.VersionState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The dedupe memory as the loader rebuilds it from a compacted topic. */
class PublishedStateTest {

  private static final Target DB = Target.kv(2, "secret", "app/db");

  private final PublishedState state = new PublishedState();

  @Test
  void shouldCountAVersionWhoseOnlyRecordLeftIsItsDestroyAsPublished() {
    state.record(change(Operation.WRITE, 1, List.of()), null);
    // v2's data was tombstoned when it was destroyed; its destroy is what the topic kept.
    state.record(change(Operation.DESTROY, 2, List.of(2L)), null);

    PublishedState.Kv2 kv2 = state.kv2(DB);
    assertThat(kv2.maxVersion()).isEqualTo(2);
    assertThat(kv2.oldestOnTopic()).isEqualTo(1);
    assertThat(kv2.state(2)).isEqualTo(VersionState.DESTROYED);
  }

  @Test
  void shouldStartAtTheOldestVersionTheTopicStillHoldsAndForgetPrunedOnes() {
    state.record(change(Operation.WRITE, 4, List.of()), null);
    state.record(change(Operation.SOFT_DELETE, 5, List.of(5L)), null);
    state.record(change(Operation.WRITE, 6, List.of()), null);
    assertThat(state.kv2(DB).oldestOnTopic()).isEqualTo(4);

    state.pruned(DB, 6);

    assertThat(state.kv2(DB).oldestOnTopic()).isEqualTo(6);
    assertThat(state.kv2(DB).states()).isEmpty();
    assertThat(state.kv2(DB).maxVersion()).isEqualTo(6);
  }

  @Test
  void shouldForgetTheVersionsAfterARewindSoThatTheyArePublishedAgainInOrder() {
    state.record(change(Operation.WRITE, 1, List.of()), null);
    state.record(change(Operation.WRITE, 2, List.of()), null);
    state.record(change(Operation.SOFT_DELETE, 3, List.of(2L)), null);
    state.record(change(Operation.WRITE, 3, List.of()), null);

    state.rewind(DB, 1);

    assertThat(state.kv2(DB).maxVersion()).isEqualTo(1);
    assertThat(state.kv2(DB).states()).as("v2's delete is published again after v2").isEmpty();
    assertThat(state.kv2(DB).oldestOnTopic()).isEqualTo(1);
  }

  private static SecretChange change(Operation operation, long version, List<Long> versions) {
    return SecretChange.newBuilder()
        .setSourceRegion("east").setEpoch(1).setMount(DB.mount()).setPath(DB.path())
        .setEngine(Engine.KV_V2).setOperation(operation).setSourceVersion(version).setVersions(versions)
        .setMetadata(null).setCommitTime(Instant.now()).setCaptureTime(Instant.now()).setSealedData(null).build();
  }
}
