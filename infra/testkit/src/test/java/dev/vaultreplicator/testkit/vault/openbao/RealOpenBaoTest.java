package dev.vaultreplicator.testkit.vault.openbao;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.testkit.vault.openbao.RealOpenBao.Source;
import org.junit.jupiter.api.Test;

/** No Docker engine runs on the build machines, so the choice is what can be tested here. */
class RealOpenBaoTest {

  @Test
  void shouldPreferTheBinaryAndTakeAContainerOnlyForATestThatKeepsNoData() {
    assertThat(RealOpenBao.choose(true, true, false)).isEqualTo(Source.BINARY);
    assertThat(RealOpenBao.choose(true, false, true)).isEqualTo(Source.BINARY);
    assertThat(RealOpenBao.choose(false, true, false)).isEqualTo(Source.CONTAINER);
    assertThat(RealOpenBao.choose(false, true, true)).as("a dev server in a container keeps nothing")
        .isEqualTo(Source.NONE);
    assertThat(RealOpenBao.choose(false, false, false)).isEqualTo(Source.NONE);
  }
}
