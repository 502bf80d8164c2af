package dev.vaultreplicator.promotion.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.promotion.gate.PromotionRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromotionRequestsTest {

  private static final List<String> REGIONS = List.of("west", "north");

  @Test
  void shouldReadEveryField() {
    PromotionRequest request = PromotionRequests.parse("{\"region\":\"west\",\"reason\":\" east is down \","
        + "\"dry_run\":true,\"force\":false,\"idempotency_key\":\"k\",\"recovery_block_ack\":\"flapped\"}", REGIONS);

    assertThat(request).isEqualTo(new PromotionRequest("west", "east is down", true, false, "k", "flapped"));
  }

  @Test
  void shouldNameTheFieldOfEveryRefusal() {
    assertRefused("not json", "body: not a JSON object");
    assertRefused("[1]", "body: not a JSON object");
    assertRefused("{\"reason\":\"x\"}", "region: required");
    assertRefused("{\"region\":\"south\",\"reason\":\"x\"}", "region: 'south' is not a standby region");
    assertRefused("{\"region\":\"west\"}", "reason: required");
    assertRefused("{\"region\":\"west\",\"reason\":\"  \"}", "reason: must be a non-empty string");
    assertRefused("{\"region\":\"west\",\"reason\":\"x\",\"force\":\"true\"}", "force: must be true or false");
    assertRefused("{\"region\":\"west\",\"reason\":\"x\",\"idempotency_key\":7}", "idempotency_key: must be");
    assertRefused("{\"region\":\"west\",\"reason\":\"" + "x".repeat(1001) + "\"}", "reason: at most 1000");
    assertRefused("{\"region\":\"west\",\"reason\":\"x\",\"dryrun\":true}", "dryrun: unknown field");
    assertRefused("{\"region\":\"west\",\"reason\":\"x\",\"recovery_block_ack\":true}",
        "recovery_block_ack: must be a non-empty string");
  }

  private static void assertRefused(String body, String message) {
    assertThatThrownBy(() -> PromotionRequests.parse(body, REGIONS))
        .isInstanceOf(PromotionRequests.BadRequestException.class).hasMessageStartingWith(message);
  }
}
