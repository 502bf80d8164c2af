package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.events.Operation;
import dev.vaultreplicator.events.SecretChange;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the apply topology writes to the standby, version by version, and how it adopts what a crash left. */
class ApplyTopologyTest extends ApplyTopologyFixture {

  @Test
  void shouldWriteEachVersionWithItsDataAndSettings() {
    pipe(events.write("secret/app/db", 1, "{\"password\":\"one\"}", Events.settings(5, Map.of("owner", "team-a"))));
    pipe(events.write("secret/app/db", 2, "{\"password\":\"two\",\"n\":2}", Events.settings(5, Map.of("owner", "team-a"))));

    assertThat(data("app/db", 1)).isEqualTo("{\"password\":\"one\"}");
    assertThat(data("app/db", 2)).isEqualTo("{\"n\":2,\"password\":\"two\"}");
    JsonNode metadata = standby.read("secret/metadata/app/db");
    assertThat(metadata.path("current_version").asLong()).isEqualTo(2);
    assertThat(metadata.path("max_versions").asInt()).isEqualTo(5);
    assertThat(metadata.path("custom_metadata").path("owner").asText()).isEqualTo("team-a");
    assertThat(counter("vault.replication.applied", "operation", "WRITE")).isEqualTo(2);
  }

  @Test
  void shouldCreateANewKeyWithDefaultSettingsInOneWriteAndWriteOtherSettingsFirst() {
    // Given a new key with the default settings, and one with settings of its own
    pipe(events.write("secret/app/plain", 1, "{\"a\":\"1\"}", Events.settings(0, Map.of())));
    pipe(events.write("secret/app/plain", 2, "{\"a\":\"2\"}", Events.settings(0, Map.of())));
    pipe(events.write("secret/app/owned", 1, "{\"a\":\"1\"}", Events.settings(5, Map.of())));

    // Then the first was created by its data writes alone (OpenBao counts metadata writes from 1)
    JsonNode plain = standby.read("secret/metadata/app/plain");
    assertThat(plain.path("current_version").asLong()).isEqualTo(2);
    assertThat(plain.path("current_metadata_version").asInt()).isZero();
    assertThat(plain.path("max_versions").asInt()).isZero();
    assertThat(plain.path("cas_required").asBoolean()).isFalse();
    assertThat(plain.path("delete_version_after").asText()).isEqualTo("0s");
    // And the second had its settings written
    JsonNode owned = standby.read("secret/metadata/app/owned");
    assertThat(owned.path("current_metadata_version").asInt()).isEqualTo(1);
    assertThat(owned.path("max_versions").asInt()).isEqualTo(5);
  }

  @Test
  void shouldLeaveCustomMetadataUnsetWhenThePrimaryHasNone() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}", Events.settings(0, Map.of())));

    assertThat(standby.read("secret/metadata/app/db").path("custom_metadata").isNull()).isTrue();
  }

  @Test
  void shouldSkipAReplayedVersionAndCountItAsADuplicate() {
    SecretChange first = events.write("secret/app/db", 1, "{\"a\":\"1\"}");
    pipe(first);
    pipe(first);

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(1);
    assertThat(counter("vault.apply.skipped", "reason", "duplicate")).isEqualTo(1);
  }

  @Test
  void shouldAdoptAVersionAlreadyOnTheStandbyAfterACrashBeforeTheCommit() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // Apply wrote v2, then died before Kafka committed: the store still says v1.
    standby.write("app/db", "{\"a\":\"2\",\"b\":\"2\"}");

    pipe(events.write("secret/app/db", 2, "{\"b\":\"2\",\"a\":\"2\"}"));
    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"3\"}");
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(1);
  }

  @Test
  void shouldAdoptAnUncommittedRunLongerThanTheStandbyKeepsVersions() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}", Events.settings(3, Map.of())));
    // Apply wrote v2..v7, then died before Kafka committed; the standby keeps only v5..v7 of them.
    for (int v = 2; v <= 7; v++) {
      standby.write("app/db", "{\"a\":\"" + v + "\"}");
    }

    for (int v = 2; v <= 7; v++) {
      pipe(events.write("secret/app/db", v, "{\"a\":\"" + v + "\"}", Events.settings(3, Map.of())));
    }
    pipe(events.write("secret/app/db", 8, "{\"a\":\"8\"}", Events.settings(3, Map.of())));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(8);
    assertThat(data("app/db", 8)).isEqualTo("{\"a\":\"8\"}");
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(6);
  }

  @Test
  void shouldAdoptPrunedVersionsWhenApplyDiedBeforeItsFirstCommit() {
    // Apply wrote v1..v6 and died before its first commit: no state, and the standby keeps v4..v6.
    standby.call("POST", "secret/metadata/app/db", "{\"max_versions\":3}");
    for (int v = 1; v <= 6; v++) {
      standby.write("app/db", "{\"a\":\"" + v + "\"}");
    }

    for (int v = 1; v <= 7; v++) {
      pipe(events.write("secret/app/db", v, "{\"a\":\"" + v + "\"}", Events.settings(3, Map.of())));
    }

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(7);
    assertThat(data("app/db", 7)).isEqualTo("{\"a\":\"7\"}");
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(6);
  }

  @Test
  void shouldAdoptAVersionThatAReplayedDeleteHadAlreadyDeleted() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // Apply wrote v2 and applied its soft delete, then died before Kafka committed either.
    standby.write("app/db", "{\"a\":\"2\"}");
    standby.call("POST", "secret/delete/app/db", "{\"versions\":[2]}");

    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));
    pipe(events.versions("secret/app/db", Operation.SOFT_DELETE, 2, 2L));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(2);
    assertThat(version("app/db", 2).path("deletion_time").asText()).isNotEmpty();
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(1);
  }

  @Test
  void shouldAdoptTheSameVersionsWhenStartingWithNoStateOnAStandbyThatHasThem() {
    standby.write("app/db", "{\"a\":\"1\"}");
    standby.write("app/db", "{\"a\":\"2\"}");

    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));
    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(counter("vault.apply.versions.adopted", null, null)).isEqualTo(2);
  }

  @Test
  void shouldWriteOnTopOfAVersionSomeoneElseWroteOnTheStandby() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    standby.write("app/db", "{\"written\":\"on the standby\"}");

    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"2\"}");
  }

  @Test
  void shouldMapSoftDeleteUndeleteAndDestroyToTheStandbyVersions() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/app/db", 2, "{\"a\":\"2\"}"));

    pipe(events.versions("secret/app/db", Operation.SOFT_DELETE, 2, 1L));
    assertThat(version("app/db", 1).path("deletion_time").asText()).isNotEmpty();
    pipe(events.versions("secret/app/db", Operation.UNDELETE, 2, 1L));
    assertThat(version("app/db", 1).path("deletion_time").asText()).isEmpty();
    pipe(events.versions("secret/app/db", Operation.DESTROY, 2, 2L));
    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
  }

  @Test
  void shouldApplyMetadataChangesAndDeleteTheKeyWithItsMetadata() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.metadata("secret/app/db", 1, Events.settings(3, Map.of("owner", "team-b"))));
    JsonNode metadata = standby.read("secret/metadata/app/db");
    assertThat(metadata.path("max_versions").asInt()).isEqualTo(3);
    assertThat(metadata.path("custom_metadata").path("owner").asText()).isEqualTo("team-b");

    pipe(events.deleteMetadata("secret/app/db", 1));
    assertThat(standby.read("secret/metadata/app/db")).isNull();

    // The key starts again at version 1 on the primary, and so it does on the standby.
    pipe(events.write("secret/app/db", 1, "{\"a\":\"again\"}"));
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"again\"}");
  }

  @Test
  void shouldWriteAVanishedVersionAsADeletedPlaceholderSoTheNumbersStayAligned() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/app/db", 2, null));
    pipe(events.versions("secret/app/db", Operation.DESTROY, 2, 2L));
    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"3\"}");
  }

  @Test
  void shouldKeepThePrimarysNumbersWhenANewRegionStartsAboveVersionsCompactionRemoved() {
    // The primary pruned v1..v3 (max_versions 3); compaction removed their records.
    for (int v = 4; v <= 6; v++) {
      pipe(events.write("secret/app/db", v, "{\"a\":\"" + v + "\"}", Events.settings(3, Map.of())));
    }

    JsonNode metadata = standby.read("secret/metadata/app/db");
    assertThat(metadata.path("current_version").asLong()).isEqualTo(6);
    assertThat(metadata.path("versions").properties()).extracting(Map.Entry::getKey).containsExactly("4", "5", "6");
    assertThat(data("app/db", 4)).isEqualTo("{\"a\":\"4\"}");
  }

  @Test
  void shouldFillAGapAboveTheLastAppliedVersionWithDestroyedPlaceholders() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // This region read far behind: v2 and v3 were destroyed on the primary and compacted away.
    pipe(events.write("secret/app/db", 4, "{\"a\":\"4\"}"));

    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(version("app/db", 3).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
    assertThat(data("app/db", 4)).isEqualTo("{\"a\":\"4\"}");
    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(4);
  }

  @Test
  void shouldGiveADestroyedVersionWhoseDataWasCompactedAwayItsPlace() {
    pipe(events.write("secret/app/db", 1, "{\"a\":\"1\"}"));
    // The newest version was destroyed: the topic keeps its destroy, not its data.
    pipe(events.versions("secret/app/db", Operation.DESTROY, 2, 2L));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(2);
    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 1)).isEqualTo("{\"a\":\"1\"}");
  }

  @Test
  void shouldNotFillAGapTwiceWhenReplayedAfterACrash() {
    // Apply wrote the placeholders for v1..v2 and died before destroying them and before its commit.
    standby.write("app/db", "{}");
    standby.write("app/db", "{}");

    pipe(events.write("secret/app/db", 3, "{\"a\":\"3\"}"));

    assertThat(standby.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(version("app/db", 1).path("destroyed").asBoolean()).isTrue();
    assertThat(version("app/db", 2).path("destroyed").asBoolean()).isTrue();
    assertThat(data("app/db", 3)).isEqualTo("{\"a\":\"3\"}");
  }

  @Test
  void shouldApplyKv1WritesAndDeletesAndPolicies() {
    standby.call("POST", "sys/mounts/legacy", "{\"type\":\"kv\",\"options\":{\"version\":\"1\"}}");
    pipe(events.kv1Write("legacy/team/app", "{\"token\":\"abc\"}"));
    assertThat(standby.read("legacy/team/app").path("token").asText()).isEqualTo("abc");
    pipe(events.kv1Delete("legacy/team/app"));
    assertThat(standby.read("legacy/team/app")).isNull();

    pipe("sys/policy/app-read", events.policy("app-read", "path \"secret/data/app/*\" { capabilities = [\"read\"] }"));
    assertThat(standby.read("sys/policies/acl/app-read").path("policy").asText()).contains("secret/data/app/*");
    pipe("sys/policy/app-read", events.policy("app-read", null));
    assertThat(standby.read("sys/policies/acl/app-read")).isNull();
  }

  @Test
  void shouldPlaceRemappedPrefixesWhereTheRuleSays() {
    driver.close();
    start(emulator.rootToken(), PathRemap.parse(List.of("secret:prod/=secret:dr/prod/")), PoisonPolicy.DLQ);

    pipe(events.write("secret/prod/db", 1, "{\"a\":\"1\"}"));
    pipe(events.write("secret/dev/db", 1, "{\"a\":\"2\"}"));

    assertThat(standby.read("secret/data/dr/prod/db")).isNotNull();
    assertThat(standby.read("secret/data/prod/db")).isNull();
    assertThat(standby.read("secret/data/dev/db")).isNotNull();
  }
}
