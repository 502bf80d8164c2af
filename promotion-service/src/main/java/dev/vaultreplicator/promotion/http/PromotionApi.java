package dev.vaultreplicator.promotion.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vaultreplicator.config.Durations;
import dev.vaultreplicator.promotion.checks.CheckResult;
import dev.vaultreplicator.promotion.checks.ReplicationLagCheck;
import dev.vaultreplicator.promotion.lag.LagTracker;
import dev.vaultreplicator.promotion.lag.RegionLag;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP API (design section 7): status, health for load balancers, metrics. JSON field names
 * are snake_case, times RFC 3339, durations in seconds.
 */
public final class PromotionApi implements AutoCloseable {

  private final LagTracker tracker;
  private final ReplicationLagCheck lagCheck;
  private final Duration maxLag;
  private final long maxPending;
  private final PrometheusMeterRegistry registry;
  private final Javalin app;

  private PromotionApi(LagTracker tracker, Duration maxLag, long maxPending, PrometheusMeterRegistry registry) {
    this.tracker = tracker;
    this.lagCheck = new ReplicationLagCheck(maxLag, maxPending);
    this.maxLag = maxLag;
    this.maxPending = maxPending;
    this.registry = registry;
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.jsonMapper(new JavalinJackson().updateMapper(mapper -> mapper
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)));
    });
    app.get("/health/live", ctx -> ctx.json(Map.of("status", "live")));
    app.get("/health/ready", this::ready);
    app.get("/health/standby/{region}", this::standbyHealth);
    app.get("/v1/status", this::status);
    app.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
  }

  public static PromotionApi start(LagTracker tracker, Duration maxLag, long maxPending,
      PrometheusMeterRegistry registry, int port) {
    PromotionApi api = new PromotionApi(tracker, maxLag, maxPending, registry);
    api.app.start(port);
    return api;
  }

  public int port() {
    return app.port();
  }

  /** Ready once the tracker has read the compacted topics to their ends: before that, every figure is partial. */
  private void ready(Context ctx) {
    if (tracker.caughtUp()) {
      ctx.json(Map.of("status", "ready"));
    } else {
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("status", "starting",
          "reason", "still reading the changes and applied topics"));
    }
  }

  private void status(Context ctx) {
    List<RegionStatus> regions = tracker.regions().stream().map(region -> {
      RegionLag lag = tracker.lag(region);
      return RegionStatus.of(lag, List.of(lagCheck.evaluate(lag)));
    }).toList();
    ctx.json(Map.of("regions", regions));
  }

  /** 200 when the region is fit to promote, 503 when not: for a load balancer or a runbook's curl. */
  private void standbyHealth(Context ctx) {
    String region = ctx.pathParam("region");
    if (!tracker.regions().contains(region)) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "region '" + region
          + "' is not one this service follows; it follows " + tracker.regions()));
      return;
    }
    Duration limit = maxLag;
    String maxLagParam = ctx.queryParam("max_lag");
    if (maxLagParam != null) {
      try {
        limit = Durations.parse(maxLagParam);
      } catch (IllegalArgumentException e) {
        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "max_lag: " + e.getMessage()));
        return;
      }
    }
    CheckResult check = new ReplicationLagCheck(limit, maxPending).evaluate(tracker.lag(region));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", region);
    body.put("fit", check.status().allowsPromotion());
    body.put("checks", List.of(check));
    ctx.status(check.status().allowsPromotion() ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }

  @Override
  public void close() {
    app.stop();
  }
}
