package dev.vaultreplicator.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.apply.ApplyConfig;
import dev.vaultreplicator.apply.TestApply;
import dev.vaultreplicator.testing.VaultKind;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 17: the policies shipped in infra/deploy/vault-policies are enough and no more, on real
 * OpenBao. Capture, apply and the promotion service run with tokens holding exactly their policy
 * (and Vault's default), the pipeline replicates and every check passes; a token with one
 * capability less stops its component with an error that names the path and the capability.
 */
class LeastPrivilegeIT extends PromotionStackBase {

  @Override
  VaultKind vaultKind() {
    return VaultKind.OPENBAO;
  }

  @Override
  boolean leastPrivilege() {
    return true;
  }

  @Test
  void shouldReplicateAndJudgeTheStandbyWithTokensHoldingOnlyTheShippedPolicies() throws Exception {
    stack.startApply("west");
    // The stack's tokens live an hour: under the default floor of the standby-credential check.
    PromotionService service = stack.startService(Map.of(PromotionConfig.MIN_TOKEN_TTL, "10m"));
    stack.primary.write("app/db", "{\"password\":\"p1\"}");
    stack.primary.call("PUT", "sys/policies/acl/app",
        "{\"policy\":\"path \\\"secret/data/app/*\\\" { capabilities = [\\\"read\\\"] }\"}");

    // Every check: lag, health, the standby's credential, policy sync and drift, read with those tokens.
    stack.awaitFit(service, "west");
    TestApply.awaitConverged(stack.primary, stack.standby("west"), List.of("secret"), 0);
    assertThat(stack.standby("west").read("sys/policies/acl/app").path("policy").asText())
        .contains("secret/data/app/*");
  }

  @Test
  void shouldNameThePathAndTheCapabilityThatATokenWithOneCapabilityLessLacks() throws Exception {
    String lessThanApply = PromotionStack.shippedPolicy("apply").replace(
        "path \"secret/data/*\" {\n  capabilities = [\"create\", \"update\", \"read\"]",
        "path \"secret/data/*\" {\n  capabilities = [\"update\", \"read\"]");
    assertThat(lessThanApply).isNotEqualTo(PromotionStack.shippedPolicy("apply"));
    stack.standby("west").call("PUT", "sys/policies/acl/apply-less",
        new ObjectMapper().writeValueAsString(Map.of("policy", lessThanApply)));

    Apply apply = stack.startApply("west",
        Map.of(ApplyConfig.VAULT_TOKEN, stack.standby("west").createToken("apply-less")));
    stack.primary.write("app/db", "{\"password\":\"p1\"}");

    await().atMost(PromotionStack.WAIT).until(() -> apply.state() == Apply.State.FAILED);
    assertThat(rootMessage(apply.failure())).contains("POST secret/data/app/db: status 403",
        "do not grant create or update on secret/data/app/db");
  }

  private static String rootMessage(Throwable failure) {
    StringBuilder messages = new StringBuilder();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      messages.append(cause.getMessage()).append('\n');
    }
    return messages.toString();
  }
}
