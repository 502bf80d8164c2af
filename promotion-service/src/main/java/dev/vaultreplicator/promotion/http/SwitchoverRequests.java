package dev.vaultreplicator.promotion.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vaultreplicator.config.Durations;
import dev.vaultreplicator.promotion.switchover.SwitchoverRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;

/** Reads a {@code POST /v1/switchovers} body; every refusal names the field. */
final class SwitchoverRequests {

  private static final Set<String> FIELDS = Set.of("region", "reason", "scheduled_at", "timeout", "stop_writes");
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
  private static final Duration MAX_TIMEOUT = Duration.ofHours(24);
  /** A schedule a little in the past is a clock apart, not a mistake. */
  private static final Duration SKEW = Duration.ofSeconds(5);

  private SwitchoverRequests() {}

  static SwitchoverRequest parse(String body, List<String> regions, Instant now) {
    JsonNode json = PromotionRequests.object(body, FIELDS);
    String region = PromotionRequests.region(json, regions);
    String reason = PromotionRequests.text(json, "reason", true);
    return new SwitchoverRequest(region, reason, scheduledAt(json, now), timeout(json),
        PromotionRequests.flag(json, "stop_writes"));
  }

  private static Instant scheduledAt(JsonNode json, Instant now) {
    JsonNode value = json.get("scheduled_at");
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.isTextual()) {
      throw new PromotionRequests.BadRequestException("scheduled_at: must be an RFC 3339 time such as "
          + "2026-12-24T06:00:00Z");
    }
    Instant at;
    try {
      at = Instant.parse(value.asText());
    } catch (DateTimeParseException e) {
      throw new PromotionRequests.BadRequestException("scheduled_at: not an RFC 3339 time such as "
          + "2026-12-24T06:00:00Z");
    }
    if (at.isBefore(now.minus(SKEW))) {
      throw new PromotionRequests.BadRequestException("scheduled_at: " + value.asText() + " is in the past");
    }
    return at;
  }

  private static Duration timeout(JsonNode json) {
    JsonNode value = json.get("timeout");
    if (value == null || value.isNull()) {
      return DEFAULT_TIMEOUT;
    }
    Duration timeout;
    try {
      timeout = Durations.parse(value.isTextual() ? value.asText() : "");
    } catch (IllegalArgumentException e) {
      throw new PromotionRequests.BadRequestException("timeout: must be a positive duration such as 5m ("
          + e.getMessage() + ")");
    }
    if (timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
      throw new PromotionRequests.BadRequestException("timeout: must be more than 0 and at most 24h");
    }
    return timeout;
  }
}
