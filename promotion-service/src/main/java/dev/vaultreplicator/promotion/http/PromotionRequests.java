package dev.vaultreplicator.promotion.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.promotion.gate.PromotionRequest;
import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/** Reads a {@code POST /v1/promotions} body; every refusal names the field. */
final class PromotionRequests {

  private static final Set<String> FIELDS = Set.of("region", "reason", "dry_run", "force", "idempotency_key",
      "recovery_block_ack");
  private static final int MAX_TEXT = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Input the API refuses with 400. */
  static final class BadRequestException extends RuntimeException {
    BadRequestException(String message) {
      super(message, null, false, false);
    }
  }

  private PromotionRequests() {}

  static PromotionRequest parse(String body, List<String> regions) {
    JsonNode json = object(body, FIELDS);
    return new PromotionRequest(region(json, regions), text(json, "reason", true), flag(json, "dry_run"), flag(json, "force"),
        text(json, "idempotency_key", false), text(json, "recovery_block_ack", false));
  }

  /** The body as a JSON object with none but {@code fields}. */
  static JsonNode object(String body, Set<String> fields) {
    JsonNode json;
    try {
      json = JSON.readTree(body);
    } catch (IOException e) {
      throw new BadRequestException("body: not a JSON object");
    }
    if (json == null || !json.isObject()) {
      throw new BadRequestException("body: not a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!fields.contains(name)) {
        throw new BadRequestException(name + ": unknown field; the fields are " + fields);
      }
    }
    return json;
  }

  /** The required {@code region}, one of the standbys this service follows. */
  static String region(JsonNode json, List<String> regions) {
    return followed(text(json, "region", true), regions);
  }

  /** A region named in a body or a path: one of the standbys this service follows. */
  static String followed(String region, List<String> regions) {
    if (!regions.contains(region)) {
      throw new BadRequestException("region: '" + region + "' is not a standby region this service follows "
          + regions);
    }
    return region;
  }

  static String text(JsonNode json, String field, boolean required) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        throw new BadRequestException(field + ": required");
      }
      return null;
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new BadRequestException(field + ": must be a non-empty string");
    }
    if (value.asText().length() > MAX_TEXT) {
      throw new BadRequestException(field + ": at most " + MAX_TEXT + " characters");
    }
    return value.asText().strip();
  }

  static boolean flag(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      return false;
    }
    if (!value.isBoolean()) {
      throw new BadRequestException(field + ": must be true or false");
    }
    return value.asBoolean();
  }
}
