package dev.vaultreplicator.promotion.gate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.promotion.auth.Caller;
import dev.vaultreplicator.promotion.checks.CheckResult;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint of the operator's own (a change freeze, a second pair of eyes) asked before every
 * promotion and dry run: a 2xx answer lets it through; any other answer, none within the
 * timeout, or no connection blocks it. The request carries the region, the caller's name, the
 * reason, the flags and the checks: nothing secret.
 */
public final class VetoHook {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** Of the hook's answer, what a report quotes. */
  private static final int QUOTED = 200;

  /** Whether the hook lets the promotion through, and what it said. */
  public record Verdict(boolean allowed, String said) { }

  private final Optional<URI> url;
  private final Duration timeout;
  private final HttpClient http;

  /** @param url empty: no hook, every promotion goes on to the claim */
  public VetoHook(Optional<URI> url, Duration timeout) {
    this.url = url;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Empty when no hook is configured. */
  public Optional<Verdict> ask(PromotionRequest request, Caller caller, List<CheckResult> checks) {
    if (url.isEmpty()) {
      return Optional.empty();
    }
    HttpRequest ask = HttpRequest.newBuilder(url.get()).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body(request, caller, checks))).build();
    try {
      HttpResponse<String> answer = http.send(ask, HttpResponse.BodyHandlers.ofString());
      boolean allowed = answer.statusCode() / 100 == 2;
      return Optional.of(new Verdict(allowed, "the veto hook answered " + answer.statusCode()
          + quoted(answer.body())));
    } catch (HttpTimeoutException e) {
      return Optional.of(new Verdict(false, "the veto hook did not answer within " + timeout.toMillis() + "ms"));
    } catch (IOException e) {
      return Optional.of(new Verdict(false, "the veto hook could not be asked: " + e.getClass().getSimpleName()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of(new Verdict(false, "interrupted while asking the veto hook"));
    }
  }

  private static String body(PromotionRequest request, Caller caller, List<CheckResult> checks) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", request.region());
    body.put("reason", request.reason());
    body.put("requested_by", caller.name());
    body.put("dry_run", request.dryRun());
    body.put("force", request.force());
    body.put("checks", checks.stream().map(c -> Map.of("name", c.name(), "status", c.status().name(),
        "reason", c.reason())).toList());
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings did not serialize", e);
    }
  }

  /** The start of the answer, on one line, for the report and the audit. */
  private static String quoted(String body) {
    String line = body == null ? "" : body.strip().replaceAll("\\p{Cntrl}+", " ");
    if (line.isEmpty()) {
      return "";
    }
    return ": \"" + (line.length() > QUOTED ? line.substring(0, QUOTED) + "..." : line) + "\"";
  }
}
