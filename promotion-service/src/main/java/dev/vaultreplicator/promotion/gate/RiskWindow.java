package dev.vaultreplicator.promotion.gate;

import dev.vaultreplicator.promotion.lag.RegionLag;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a promotion may lose: changes the primary committed after the capture watermark C were
 * not yet captured when the standby was promoted. The bound is how far C trailed the primary when
 * it last spoke (the capture delay) plus how long it has been silent since.
 */
public record RiskWindow(Instant capturedThrough, Double primarySilenceSeconds, Double captureDelaySeconds,
    Long pendingEvents, String statement) {

  static RiskWindow of(RegionLag lag, Instant now) {
    if (lag.state() != RegionLag.State.KNOWN) {
      return new RiskWindow(null, null, null, null, "unknown: " + lag.reason());
    }
    Instant lastSpoke = now.minus(lag.primarySilence());
    Duration captureDelay = Duration.between(lag.capturedThrough(), lastSpoke);
    Duration window = captureDelay.plus(lag.primarySilence());
    String statement = String.format("changes %s committed after %s (%.3fs before now) may be lost; "
        + "%d captured events were not yet applied", lag.primaryRegion(), lag.capturedThrough(),
        window.toMillis() / 1000.0, lag.pendingEvents());
    return new RiskWindow(lag.capturedThrough(), seconds(lag.primarySilence()), seconds(captureDelay),
        lag.pendingEvents(), statement);
  }

  /** As audit details (string to string), so {@code GET /v1/promotions/{id}} can show it again. */
  Map<String, String> toDetails() {
    Map<String, String> details = new LinkedHashMap<>();
    put(details, "risk_captured_through", capturedThrough);
    put(details, "risk_primary_silence_seconds", primarySilenceSeconds);
    put(details, "risk_capture_delay_seconds", captureDelaySeconds);
    put(details, "risk_pending_events", pendingEvents);
    details.put("risk_statement", statement);
    return details;
  }

  static RiskWindow fromDetails(Map<String, String> details) {
    String captured = details.get("risk_captured_through");
    return new RiskWindow(captured == null ? null : Instant.parse(captured),
        number(details.get("risk_primary_silence_seconds")), number(details.get("risk_capture_delay_seconds")),
        details.containsKey("risk_pending_events") ? Long.valueOf(details.get("risk_pending_events")) : null,
        details.getOrDefault("risk_statement", ""));
  }

  private static void put(Map<String, String> details, String key, Object value) {
    if (value != null) {
      details.put(key, value.toString());
    }
  }

  private static Double number(String text) {
    return text == null ? null : Double.valueOf(text);
  }

  private static Double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
