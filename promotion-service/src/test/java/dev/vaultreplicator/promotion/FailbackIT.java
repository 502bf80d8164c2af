package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.OPERATOR;
import static dev.vaultreplicator.promotion.PromotionStack.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vaultreplicator.apply.TestApply;
import dev.vaultreplicator.testing.TestTopics;
import dev.vaultreplicator.testing.TestVault;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Both regions run capture and apply, each idle on the side the epoch does not give it: a
 * promotion of west makes west's capture publish and east's apply apply, and a promotion back
 * once east has caught up returns to the start, with nothing lost either way.
 */
class FailbackIT extends PromotionStackIT {

  @Test
  void shouldFailOverFromEastToWestAndBackWithNothingLost() throws Exception {
    TestVault east = stack.vault("east");
    TestVault west = stack.vault("west");
    stack.startApply("west");
    stack.startCapture("west");
    stack.startApply("east");
    PromotionService service = stack.startService(Map.of(PromotionConfig.REGIONS, "east,west",
        PromotionConfig.RECOVERY_BLOCK, "0s"));
    east.write("app/db", "{\"v\":\"1 from east\"}");
    east.write("app/east-only", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");

    assertThat(promote(service, "west").statusCode()).isEqualTo(201);
    west.write("app/db", "{\"v\":\"2 from west\"}");
    west.write("app/west-only", "{\"v\":\"1\"}");
    TestApply.awaitConverged(west, east, List.of("secret"), 2);
    stack.awaitFit(service, "east");

    HttpResponse<String> back = promote(service, "east");
    assertThat(back.statusCode()).as(back.body()).isEqualTo(201);
    assertThat(json(back).path("epoch").asLong()).isEqualTo(3);
    east.write("app/db", "{\"v\":\"3 from east\"}");

    TestApply.awaitConverged(east, west, List.of("secret"), 2);
    assertThat(west.read("secret/metadata/app/db").path("current_version").asLong()).isEqualTo(3);
    assertThat(east.read("secret/data/app/west-only").path("data").path("v").asText()).isEqualTo("1");
    assertThat(west.read("secret/data/app/db?version=2").path("data").path("v").asText()).isEqualTo("2 from west");
    // The fenced primary's last heartbeats are skipped, not dead-lettered: nothing in either DLQ.
    assertThat(TestTopics.readAll(kafka.bootstrapServers(), stack.prefix() + ".dlq.east")).isEmpty();
    assertThat(TestTopics.readAll(kafka.bootstrapServers(), stack.prefix() + ".dlq.west")).isEmpty();
  }

  private HttpResponse<String> promote(PromotionService service, String region) throws Exception {
    return stack.post(service, "/v1/promotions", "{\"region\":\"" + region + "\",\"reason\":\"failover drill\"}",
        OPERATOR);
  }
}
