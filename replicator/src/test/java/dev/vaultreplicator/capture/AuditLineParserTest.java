package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLineParserTest {

  private static final Instant NOW = Instant.parse("2026-11-24T10:00:00Z");
  private final AuditLineParser parser = new AuditLineParser(Map.of("secret", 2, "team/kv", 2, "legacy", 1),
      Map.of("secret", PathFilter.of(List.of(), List.of("scratch/**"))), true);

  @Test
  void shouldTurnASuccessfulKv2WriteResponseIntoItsTargetAndTheVersionItMade() {
    AuditLineParser.Verdict verdict = parser.parse(response("create", "secret/data/app/db"), NOW);

    assertThat(verdict).isEqualTo(new AuditLineParser.Change(Target.kv(2, "secret", "app/db"),
        Instant.parse("2026-11-24T09:59:59.123456789Z"), 3));
  }

  @Test
  void shouldNameAWrittenVersionOnlyForADataWrite() {
    assertThat(written(response("update", "secret/metadata/app/db"))).isZero();
    assertThat(written(response("update", "secret/undelete/app/db"))).isZero();
    assertThat(written(response("update", "legacy/app/db"))).isZero();
    assertThat(written(response("create", "secret/data/app/db").replace("\"version\":3", "\"version\":\"3\"")))
        .as("a version that is not a number").isZero();
    assertThat(written(response("patch", "secret/data/app/db"))).isEqualTo(3);
  }

  @Test
  void shouldTellAWriteOfAKv2MountsConfig() {
    assertThat(parser.parse(response("update", "secret/config"), NOW))
        .isEqualTo(new AuditLineParser.MountConfigChanged("secret"));
    assertThat(parser.parse(response("update", "team/kv/config"), NOW))
        .isEqualTo(new AuditLineParser.MountConfigChanged("team/kv"));
  }

  @Test
  void shouldMapEveryKv2PathOfAKeyToTheSameTarget() {
    for (String prefix : List.of("data", "metadata", "delete", "undelete", "destroy")) {
      assertThat(target(parser.parse(response("update", "secret/" + prefix + "/app/db"), NOW)))
          .isEqualTo(Target.kv(2, "secret", "app/db"));
    }
  }

  @Test
  void shouldPreferTheLongestMountThatMatches() {
    assertThat(target(parser.parse(response("update", "team/kv/data/x"), NOW))).isEqualTo(Target.kv(2, "team/kv", "x"));
  }

  @Test
  void shouldReadKv1PathsAsKeysAndPolicyPathsAsPolicies() {
    assertThat(target(parser.parse(response("delete", "legacy/a/b"), NOW))).isEqualTo(Target.kv(1, "legacy", "a/b"));
    assertThat(target(parser.parse(response("update", "sys/policy/App"), NOW))).isEqualTo(Target.policy("app"));
    assertThat(target(parser.parse(response("delete", "sys/policies/acl/ops"), NOW))).isEqualTo(Target.policy("ops"));
  }

  @Test
  void shouldSkipEachKindOfLineWithItsReason() {
    assertThat(skip("not json")).isEqualTo(SkipReason.MALFORMED);
    assertThat(skip("[1,2]")).isEqualTo(SkipReason.MALFORMED);
    assertThat(skip(response("create", "secret/data/a").replace("\"response\",", "\"request\","))).isEqualTo(SkipReason.REQUEST_ENTRY);
    assertThat(skip(response("create", "secret/data/a").replace("{\"time\"", "{\"error\":\"1 error occurred\",\"time\"")))
        .isEqualTo(SkipReason.FAILED);
    assertThat(skip(response("read", "secret/data/a"))).isEqualTo(SkipReason.NOT_A_CHANGE);
    assertThat(skip(response("list", "secret/metadata/"))).isEqualTo(SkipReason.NOT_A_CHANGE);
    assertThat(skip(response("update", "other/data/a"))).isEqualTo(SkipReason.UNREPLICATED_PATH);
    assertThat(skip(response("update", "legacy/config/"))).isEqualTo(SkipReason.UNREPLICATED_PATH);
    assertThat(skip(response("update", "sys/audit/test"))).isEqualTo(SkipReason.UNREPLICATED_PATH);
    assertThat(skip(response("update", "secret/data/scratch/tmp/x"))).isEqualTo(SkipReason.EXCLUDED);
  }

  @Test
  void shouldTakeOnlyTheLinesOfItsOwnNamespaceWhosePathsAreRelativeToIt() {
    AuditLineParser teamA = new AuditLineParser(Map.of("secret", 2), Map.of(), true, "team-a");
    String inTeamA = inNamespace(response("create", "secret/data/app/db"), "team-a/");

    assertThat(target(teamA.parse(inTeamA, NOW))).isEqualTo(Target.kv(2, "secret", "app/db"));
    assertThat(target(teamA.parse(inNamespace(response("update", "sys/policies/acl/ops"), "team-a/"), NOW)))
        .isEqualTo(Target.policy("ops"));
    assertThat(((AuditLineParser.Skip) teamA.parse(response("create", "secret/data/app/db"), NOW)).reason())
        .as("the root namespace's line").isEqualTo(SkipReason.OTHER_NAMESPACE);
    assertThat(((AuditLineParser.Skip) teamA.parse(inNamespace(response("create", "secret/data/app/db"),
        "team-a/child/"), NOW)).reason()).as("a child namespace's line").isEqualTo(SkipReason.OTHER_NAMESPACE);
    assertThat(skip(inTeamA)).as("the root namespace's capture").isEqualTo(SkipReason.OTHER_NAMESPACE);
    assertThat(skip(response("create", "secret/data/scratch/x").replace("\"request\":{", 
        "\"request\":{\"namespace\":{\"id\":\"root\"},"))).as("OpenBao names the root by its id alone")
        .isEqualTo(SkipReason.EXCLUDED);
  }

  @Test
  void shouldUseNowWhenTheEntryHasNoReadableTime() {
    String line = response("create", "secret/data/a").replace("2026-11-24T09:59:59.123456789Z", "yesterday");

    assertThat(((AuditLineParser.Change) parser.parse(line, NOW)).time()).isEqualTo(NOW);
  }

  private long written(String line) {
    return ((AuditLineParser.Change) parser.parse(line, NOW)).writtenVersion();
  }

  private SkipReason skip(String line) {
    return ((AuditLineParser.Skip) parser.parse(line, NOW)).reason();
  }

  private static Target target(AuditLineParser.Verdict verdict) {
    return ((AuditLineParser.Change) verdict).target();
  }

  /** As OpenBao 2.7.2 writes a request made in a namespace: its path, with a trailing slash, and an id. */
  private static String inNamespace(String line, String namespacePath) {
    return line.replace("\"request\":{", "\"request\":{\"namespace\":{\"id\":\"peMpcK\",\"path\":\""
        + namespacePath + "\"},");
  }

  /** The shape of a real entry (vault-api.md §10), values HMAC'd, fields in today's alphabetical order. */
  private static String response(String operation, String path) {
    return "{\"time\":\"2026-11-24T09:59:59.123456789Z\",\"type\":\"response\",\"auth\":{\"client_token\":"
        + "\"hmac-sha256:00\"},\"request\":{\"id\":\"r-1\",\"operation\":\"" + operation + "\",\"mount_point\":"
        + "\"secret/\",\"mount_type\":\"kv\",\"path\":\"" + path + "\",\"data\":{\"data\":{\"password\":"
        + "\"hmac-sha256:ab\"}}},\"response\":{\"data\":{\"version\":3,\"created_time\":\"hmac-sha256:cd\"}}}";
  }
}
