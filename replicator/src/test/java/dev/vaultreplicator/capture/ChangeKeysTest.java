package dev.vaultreplicator.capture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.events.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class ChangeKeysTest {

  private static final Target DB = Target.kv(2, "secret", "app/db");

  @Test
  void shouldGiveEachThingCompactionMustKeepApartItsOwnKey() {
    assertThat(List.of(
        ChangeKeys.ofKv2(DB, Operation.WRITE, 3),
        ChangeKeys.ofKv2(DB, Operation.SOFT_DELETE, 3),
        ChangeKeys.ofKv2(DB, Operation.UNDELETE, 3),
        ChangeKeys.ofKv2(DB, Operation.DESTROY, 3),
        ChangeKeys.ofKv2(DB, Operation.METADATA, 3),
        ChangeKeys.ofKv2(DB, Operation.DELETE_METADATA, 3)))
        .containsExactly("secret/app/db#v3", "secret/app/db#v3#state", "secret/app/db#v3#state",
            "secret/app/db#v3#state", "secret/app/db#meta", "secret/app/db#deleted");
  }

  @Test
  void shouldFindTheSecretOfEveryKeyEvenWhenItsPathHoldsSuffixLikeText() {
    for (String path : List.of("app/db", "a#meta", "a#v1", "a#v1#state", "a#deleted#v2")) {
      Target target = Target.kv(2, "secret", path);
      for (String key : List.of(ChangeKeys.version(target, 12), ChangeKeys.versionState(target, 12),
          ChangeKeys.settings(target), ChangeKeys.deleted(target))) {
        assertThat(ChangeKeys.secretOf(key)).as(key).isEqualTo("secret/" + path);
      }
    }
  }

  @Test
  void shouldPlaceEveryKeyOfASecretWhereKafkasDefaultPartitionerPlacesThePlainKey() {
    for (String path : List.of("app/db", "team/a/b", "x", "a#v1")) {
      Target target = Target.kv(2, "secret", path);
      int plain = Utils.toPositive(Utils.murmur2(target.key().getBytes(StandardCharsets.UTF_8))) % 12;
      assertThat(List.of(ChangeKeys.version(target, 7), ChangeKeys.versionState(target, 7),
          ChangeKeys.settings(target), ChangeKeys.deleted(target)))
          .allSatisfy(key -> assertThat(ChangesPartitioner.partitionOf(key, 12)).as(key).isEqualTo(plain));
    }
    // A key without a suffix (KV v1, a policy) stays where it always was.
    String policy = Target.policy("ops").key();
    assertThat(ChangesPartitioner.partitionOf(policy, 12))
        .isEqualTo(Utils.toPositive(Utils.murmur2(policy.getBytes(StandardCharsets.UTF_8))) % 12);
  }
}
