package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.capture.SecretDiff.Step;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.vault.KvMetadata;
import dev.vaultreplicator.vault.KvSettings;
import dev.vaultreplicator.vault.KvVersion;
import dev.vaultreplicator.vault.VersionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class SecretDiffTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private static final Instant PAST = NOW.minusSeconds(60);

  @Test
  void shouldPublishEveryVersionOfANewKeyInOrder() {
    assertThat(SecretDiff.between(null, metadata(KvSettings.DEFAULTS, live(1), live(2), live(3)), NOW))
        .containsExactly(write(1), write(2), write(3));
  }

  @Test
  void shouldPublishOnlyVersionsNewerThanThePublishedOnes() {
    PublishedState.Kv2 before = new PublishedState.Kv2(1, 2, Map.of(), KvSettings.DEFAULTS);

    assertThat(SecretDiff.between(before, metadata(KvSettings.DEFAULTS, live(1), live(2), live(3)), NOW))
        .containsExactly(write(3));
    assertThat(SecretDiff.between(before, metadata(KvSettings.DEFAULTS, live(1), live(2)), NOW)).isEmpty();
  }

  @Test
  void shouldTurnStateChangesIntoSoftDeleteUndeleteAndDestroy() {
    PublishedState.Kv2 before = new PublishedState.Kv2(1, 3, Map.of(2L, VersionState.DELETED), KvSettings.DEFAULTS);
    KvMetadata now = metadata(KvSettings.DEFAULTS, deleted(1), live(2), destroyed(3));

    assertThat(SecretDiff.between(before, now, NOW)).containsExactly(
        new Step(Operation.SOFT_DELETE, 1, List.of(1L)),
        new Step(Operation.UNDELETE, 2, List.of(2L)),
        new Step(Operation.DESTROY, 3, List.of(3L)));
  }

  @Test
  void shouldGiveEachVersionItsOwnStepSoEachHasItsOwnRecordKey() {
    PublishedState.Kv2 before = new PublishedState.Kv2(1, 3, Map.of(), KvSettings.DEFAULTS);
    KvMetadata now = metadata(KvSettings.DEFAULTS, deleted(1), live(2), deleted(3));

    assertThat(SecretDiff.between(before, now, NOW)).containsExactly(
        new Step(Operation.SOFT_DELETE, 1, List.of(1L)),
        new Step(Operation.SOFT_DELETE, 3, List.of(3L)));
  }

  @Test
  void shouldNotCountADeletionTimeInTheFutureAsDeleted() {
    PublishedState.Kv2 before = new PublishedState.Kv2(1, 1, Map.of(), KvSettings.DEFAULTS);
    KvMetadata now = metadata(KvSettings.DEFAULTS, new KvVersion(1, PAST, NOW.plusSeconds(60), false));

    assertThat(SecretDiff.between(before, now, NOW)).isEmpty();
  }

  @Test
  void shouldPublishChangedSettingsBeforeNewVersions() {
    KvSettings custom = new KvSettings(Map.of("owner", "a"), 5, false, "0s");
    PublishedState.Kv2 before = new PublishedState.Kv2(1, 1, Map.of(), KvSettings.DEFAULTS);

    assertThat(SecretDiff.between(before, metadata(custom, live(1), live(2)), NOW))
        .containsExactly(new Step(Operation.METADATA, 0, List.of()), write(2));
  }

  @Test
  void shouldPublishMetadataOfAKeyCreatedWithoutVersions() {
    assertThat(SecretDiff.between(null, metadata(KvSettings.DEFAULTS), NOW))
        .containsExactly(new Step(Operation.METADATA, 0, List.of()));
  }

  @Test
  void shouldDeleteMetadataOfAKeyThatIsGoneAndRestartAKeyMadeAnew() {
    PublishedState.Kv2 before = new PublishedState.Kv2(1, 4, Map.of(), KvSettings.DEFAULTS);

    assertThat(SecretDiff.between(before, null, NOW)).containsExactly(new Step(Operation.DELETE_METADATA, 0, List.of()));
    assertThat(SecretDiff.between(before, metadata(KvSettings.DEFAULTS, live(1)), NOW))
        .containsExactly(new Step(Operation.DELETE_METADATA, 0, List.of()), write(1));
    assertThat(SecretDiff.between(null, null, NOW)).isEmpty();
  }

  private static Step write(long version) {
    return new Step(Operation.WRITE, version, List.of());
  }

  private static KvVersion live(long v) {
    return new KvVersion(v, PAST, null, false);
  }

  private static KvVersion deleted(long v) {
    return new KvVersion(v, PAST, PAST.plusSeconds(1), false);
  }

  private static KvVersion destroyed(long v) {
    return new KvVersion(v, PAST, null, true);
  }

  private static KvMetadata metadata(KvSettings settings, KvVersion... versions) {
    TreeMap<Long, KvVersion> map = new TreeMap<>();
    for (KvVersion v : versions) {
      map.put(v.version(), v);
    }
    return new KvMetadata(map.isEmpty() ? 0 : map.lastKey(), PAST, PAST, settings, map);
  }
}
