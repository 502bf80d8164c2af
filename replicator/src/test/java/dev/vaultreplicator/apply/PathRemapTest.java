package dev.vaultreplicator.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.apply.PathRemap.Location;
import java.util.List;
import org.junit.jupiter.api.Test;

class PathRemapTest {

  @Test
  void shouldMoveAMatchingPrefixAndLeaveEverythingElse() {
    PathRemap remap = PathRemap.parse(List.of("secret:prod/=dr:prod/"));

    assertThat(remap.locate("secret", "prod/db")).isEqualTo(new Location("dr", "prod/db"));
    assertThat(remap.locate("secret", "dev/db")).isEqualTo(new Location("secret", "dev/db"));
    assertThat(remap.locate("other", "prod/db")).isEqualTo(new Location("other", "prod/db"));
  }

  @Test
  void shouldPreferTheLongestPrefixAndAllowMountsWithSlashes() {
    PathRemap remap = PathRemap.parse(List.of("team/kv:=copy:all/", "team/kv:a/b/=copy:deep/"));

    assertThat(remap.locate("team/kv", "a/b/c")).isEqualTo(new Location("copy", "deep/c"));
    assertThat(remap.locate("team/kv", "a/x")).isEqualTo(new Location("copy", "all/a/x"));
  }

  @Test
  void shouldRefuseARuleThatIsNotMountColonPrefix() {
    assertThatThrownBy(() -> PathRemap.parse(List.of("secret/prod=dr/prod"))).hasMessageContaining("secret/prod=dr/prod");
    assertThatThrownBy(() -> PathRemap.parse(List.of("sys:x=dr:x"))).hasMessageContaining("mount:prefix");
    assertThatThrownBy(() -> PathRemap.parse(List.of("a:x=b:x", "a:x=c:x"))).hasMessageContaining("two rules");
  }
}
