package dev.vaultreplicator.promotion;

import dev.vaultreplicator.testing.VaultKind;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Each test runs on real OpenBao and on the emulator: for what depends on how the Vault behaves. */
@ParameterizedClass(name = "on {0}")
@EnumSource(VaultKind.class)
abstract class PromotionStackIT extends PromotionStackBase {

  @Parameter
  VaultKind vaultKind;

  @Override
  VaultKind vaultKind() {
    return vaultKind;
  }
}
