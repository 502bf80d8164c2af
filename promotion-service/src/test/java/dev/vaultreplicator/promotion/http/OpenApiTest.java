package dev.vaultreplicator.promotion.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The OpenAPI document in the repository says exactly what the server does: routes, methods, who may call. */
class OpenApiTest {

  private final PromotionApi api = new PromotionApi(new PromotionApi.Parts(null, null, null, null, null, null, null, null, null,
      Duration.ofSeconds(5), 0, true, null), new Listener("127.0.0.1", 0, null));

  @Test
  void shouldDocumentEveryRouteAndNoOther() throws Exception {
    JsonNode document = new ObjectMapper().readTree(PromotionApi.OPENAPI);
    Set<String> documented = new HashSet<>();
    for (Iterator<Map.Entry<String, JsonNode>> paths = document.path("paths").fields(); paths.hasNext(); ) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT) + " "
          + path.getKey()));
    }

    Set<String> registered = api.routes().stream().map(r -> r.method() + " " + r.path()).collect(Collectors.toSet());

    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void shouldDocumentWhichRoutesAreOpenAndWhichRoleTheOthersNeed() throws Exception {
    JsonNode document = new ObjectMapper().readTree(PromotionApi.OPENAPI);
    for (PromotionApi.Route route : api.routes()) {
      JsonNode operation = document.path("paths").path(route.path()).path(route.method().toLowerCase(Locale.ROOT));
      if (route.role() == null) {
        assertThat(operation.path("security").isArray() && operation.path("security").isEmpty())
            .as("%s %s is open", route.method(), route.path()).isTrue();
      } else {
        assertThat(operation.has("security")).as("%s %s needs a token", route.method(), route.path()).isFalse();
        assertThat(operation.path("x-role").asText()).as("%s %s", route.method(), route.path())
            .startsWith(route.role().label());
      }
    }
  }
}
