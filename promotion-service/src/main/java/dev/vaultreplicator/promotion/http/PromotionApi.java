package dev.vaultreplicator.promotion.http;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.vaultreplicator.ReplicatorException;
import dev.vaultreplicator.config.Durations;
import dev.vaultreplicator.config.Validators;
import dev.vaultreplicator.events.EpochRecord;
import dev.vaultreplicator.promotion.audit.AuditLog;
import dev.vaultreplicator.promotion.auth.Caller;
import dev.vaultreplicator.promotion.auth.Role;
import dev.vaultreplicator.promotion.auth.TokenFile;
import dev.vaultreplicator.promotion.checks.CheckResult;
import dev.vaultreplicator.promotion.checks.ReplicationLagCheck;
import dev.vaultreplicator.promotion.drill.Drills;
import dev.vaultreplicator.promotion.epoch.ControlLog;
import dev.vaultreplicator.promotion.fenced.FencedReport;
import dev.vaultreplicator.promotion.gate.PromotionGate;
import dev.vaultreplicator.promotion.lag.LagHistory;
import dev.vaultreplicator.promotion.lag.LagTracker;
import dev.vaultreplicator.promotion.switchover.SwitchoverRequest;
import dev.vaultreplicator.promotion.switchover.Switchovers;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP API (design section 7). JSON field names are snake_case, times RFC 3339, durations in
 * seconds. {@code /health/*} is open; {@code /v1/*} needs a bearer token with the route's role.
 */
public final class PromotionApi implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PromotionApi.class);

  /** What the routes read from and act on. */
  public record Parts(LagTracker tracker, LagHistory history, PromotionGate gate, Drills drills, Switchovers switchovers,
      ControlLog control, AuditLog audit, FencedReport fenced, TokenFile tokens, Duration maxLag, long maxPending, boolean metricsPublic, PrometheusMeterRegistry registry) { }

  /** The API's description, kept in the repository and served as it is. */
  static final String OPENAPI = readOpenApi();

  /** One route: {@code role} null means open to anyone. */
  record Route(String method, String path, Role role) { }

  /**
   * The dashboard's pages may load and call only what this service serves: no CDN, no fonts or
   * scripts from elsewhere, no framing by another site, no inline script for injected markup to use.
   */
  static final String DASHBOARD_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  /** Audit entries a caller may ask for at a time with {@code last}. */
  private static final int MAX_AUDIT_ENTRIES = 10_000;

  /** A load balancer's hold is seconds to minutes; longer would hide an outage. */
  private static final Duration MAX_HOLD = Duration.ofHours(1);

  /** How old {@code /v1/status} may be: fresh enough for a person, and bounds the Vault calls of many dashboards. */
  static final Duration STATUS_MAX_AGE = Duration.ofSeconds(1);

  private final Parts parts;
  private final HeldAnswers heldAnswers = new HeldAnswers();
  private final Recent<List<RegionStatus>> status;
  private final Javalin app;
  private final List<Route> routes = new ArrayList<>();

  PromotionApi(Parts parts, Listener listener) {
    this.parts = parts;
    this.status = new Recent<>(this::regionStatus, STATUS_MAX_AGE, Clock.systemUTC());
    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      if (listener.tls() != null) {
        config.jetty.addConnector(listener.httpsConnector());
      }
      config.jsonMapper(new JavalinJackson().updateMapper(mapper -> mapper
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)));
      config.staticFiles.add(files -> {
        files.hostedPath = "/";
        files.directory = "/dashboard";
        files.location = Location.CLASSPATH;
        files.headers = Map.of("Content-Security-Policy", DASHBOARD_POLICY, "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer", "Cache-Control", "no-cache");
      });
    });
    Authenticator auth = new Authenticator(parts.tokens());
    open(HandlerType.GET, "/health/live", ctx -> ctx.json(Map.of("status", "live")));
    open(HandlerType.GET, "/health/ready", this::ready);
    open(HandlerType.GET, "/health/standby/{region}", this::standbyHealth);
    if (parts.metricsPublic()) {
      open(HandlerType.GET, "/metrics", this::metrics);
    } else {
      guarded(HandlerType.GET, "/metrics", Role.VIEWER, auth, (ctx, caller) -> metrics(ctx));
    }
    open(HandlerType.GET, "/v1/openapi.json", ctx -> ctx.contentType("application/json").result(OPENAPI));
    guarded(HandlerType.GET, "/v1/whoami", Role.VIEWER, auth, (ctx, caller) ->
        ctx.json(Map.of("name", caller.name(), "role", caller.role().label())));
    guarded(HandlerType.GET, "/v1/status", Role.VIEWER, auth, (ctx, caller) -> status(ctx));
    guarded(HandlerType.GET, "/v1/lag/history", Role.VIEWER, auth, (ctx, caller) -> ctx.json(Map.of(
        "interval_seconds", LagHistory.INTERVAL.toSeconds(), "regions", parts.history().samples())));
    guarded(HandlerType.GET, "/v1/readiness/{region}", Role.VIEWER, auth, (ctx, caller) -> readiness(ctx));
    guarded(HandlerType.POST, "/v1/drills/{region}", Role.OPERATOR, auth, this::drill);
    guarded(HandlerType.POST, "/v1/promotions", Role.OPERATOR, auth, this::promote);
    guarded(HandlerType.GET, "/v1/promotions/{id}", Role.VIEWER, auth, (ctx, caller) -> promotion(ctx));
    guarded(HandlerType.POST, "/v1/switchovers", Role.OPERATOR, auth, this::switchover);
    guarded(HandlerType.GET, "/v1/switchovers", Role.VIEWER, auth, (ctx, caller) ->
        ctx.json(Map.of("switchovers", parts.switchovers().all())));
    guarded(HandlerType.GET, "/v1/switchovers/{id}", Role.VIEWER, auth, (ctx, caller) -> switchover(ctx));
    guarded(HandlerType.DELETE, "/v1/switchovers/{id}", Role.OPERATOR, auth, this::cancelSwitchover);
    guarded(HandlerType.GET, "/v1/epoch", Role.VIEWER, auth, (ctx, caller) -> epoch(ctx));
    guarded(HandlerType.GET, "/v1/audit", Role.VIEWER, auth, (ctx, caller) -> audit(ctx));
    guarded(HandlerType.GET, "/v1/fenced", Role.VIEWER, auth, (ctx, caller) ->
        ctx.json(Map.of("regions", parts.fenced().counts())));
    guarded(HandlerType.GET, "/v1/fenced/{region}", Role.VIEWER, auth, (ctx, caller) -> fenced(ctx));
    app.exception(PromotionRequests.BadRequestException.class, (e, ctx) ->
        ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", e.getMessage())));
    app.exception(UnknownRegionException.class, (e, ctx) ->
        ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", e.getMessage())));
    app.exception(ReplicatorException.class, (e, ctx) -> {
      LOG.warn("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", e.getMessage()));
    });
  }

  private void open(HandlerType method, String path, Handler handler) {
    app.addHttpHandler(method, path, handler);
    routes.add(new Route(method.name(), path, null));
  }

  private void guarded(HandlerType method, String path, Role role, Authenticator auth,
      Authenticator.CallerHandler handler) {
    app.addHttpHandler(method, path, auth.as(role, handler));
    routes.add(new Route(method.name(), path, role));
  }

  /** The routes as registered, for the test that holds the OpenAPI document to them. */
  List<Route> routes() {
    return List.copyOf(routes);
  }

  public static PromotionApi start(Parts parts, Listener listener) {
    PromotionApi api = new PromotionApi(parts, listener);
    api.app.start(listener.host(), listener.port());
    return api;
  }

  public int port() {
    return app.port();
  }

  /** Ready once the tracker has read the compacted topics to their ends: before that, every figure is partial. */
  private void ready(Context ctx) {
    if (parts.tracker().caughtUp()) {
      ctx.json(Map.of("status", "ready"));
    } else {
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("status", "starting",
          "reason", "still reading the changes and applied topics"));
    }
  }

  /**
   * 200 when the region's replication is fit to promote, 503 when not: for a load balancer or a
   * runbook. With {@code hold}, the answer changes only once the new condition has held that long.
   */
  private void standbyHealth(Context ctx) {
    String region = knownRegion(ctx);
    Duration limit = duration(ctx, "max_lag").orElse(parts.maxLag());
    Optional<Duration> hold = duration(ctx, "hold");
    if (hold.isPresent() && hold.get().compareTo(MAX_HOLD) > 0) {
      throw new PromotionRequests.BadRequestException("hold: at most " + MAX_HOLD.toMinutes() + "m");
    }
    CheckResult check = new ReplicationLagCheck(limit, parts.maxPending()).evaluate(parts.tracker().lag(region));
    boolean fit = check.status().allowsPromotion();
    Map<String, Object> holding = null;
    if (hold.isPresent()) {
      HeldAnswers.Answer held = heldAnswers.answer(new HeldAnswers.Question(region, limit, hold.get()), fit,
          Instant.now());
      fit = held.fit();
      holding = new LinkedHashMap<>();
      holding.put("seconds", hold.get().toMillis() / 1000.0);
      holding.put("condition_fit", held.conditionFit());
      holding.put("answer_changes_at", held.changesAt());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", region);
    body.put("fit", fit);
    if (holding != null) {
      body.put("hold", holding);
    }
    body.put("checks", List.of(check));
    ctx.status(fit ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(body);
  }

  private static Optional<Duration> duration(Context ctx, String parameter) {
    String text = ctx.queryParam(parameter);
    if (text == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(text));
    } catch (IllegalArgumentException e) {
      throw new PromotionRequests.BadRequestException(parameter + ": " + e.getMessage());
    }
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(parts.registry().scrape());
  }

  private void status(Context ctx) {
    ctx.json(Map.of("regions", status.get()));
  }

  private List<RegionStatus> regionStatus() {
    return parts.tracker().regions().stream()
        .map(region -> RegionStatus.of(parts.tracker().lag(region), parts.gate().readiness(region),
            parts.drills().last(region).orElse(null))).toList();
  }

  private void readiness(Context ctx) {
    String region = knownRegion(ctx);
    List<CheckResult> checks = parts.gate().readiness(region);
    boolean fit = checks.stream().allMatch(c -> c.status().allowsPromotion());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", region);
    body.put("fit", fit);
    body.put("checks", checks);
    ctx.json(body);
  }

  /** An unknown region is bad input here (400), as in a promotion's body: the drill would be recorded otherwise. */
  private void drill(Context ctx, Caller caller) {
    String region = PromotionRequests.followed(ctx.pathParam("region"), parts.tracker().regions());
    answer(ctx, parts.drills().drill(region, caller));
  }

  private void promote(Context ctx, Caller caller) {
    answer(ctx, parts.gate().promote(PromotionRequests.parse(ctx.body(), parts.tracker().regions()), caller));
  }

  private void answer(Context ctx, PromotionGate.Answer answer) {
    ctx.status(answer.status());
    if (answer.report() != null) {
      ctx.json(answer.report());
    } else {
      ctx.json(Map.of("error", answer.error()));
    }
  }

  private void switchover(Context ctx, Caller caller) {
    SwitchoverRequest request = SwitchoverRequests.parse(ctx.body(), parts.tracker().regions(), Instant.now());
    if (request.stopWrites()) {
      parts.switchovers().whyWritesCannotStop().ifPresent(why -> {
        throw new PromotionRequests.BadRequestException("stop_writes: " + why);
      });
    }
    Switchovers.Result result = parts.switchovers().request(request, caller);
    if (result.done()) {
      ctx.status(HttpStatus.ACCEPTED).json(result.switchover());
      return;
    }
    Switchovers.Switchover pending = result.switchover();
    ctx.status(HttpStatus.CONFLICT).json(Map.of("error", "switchover " + pending.id() + " to " + pending.region()
        + " is pending; cancel it (DELETE /v1/switchovers/" + pending.id() + ") or wait for it to end",
        "switchover", pending));
  }

  private void switchover(Context ctx) {
    parts.switchovers().find(ctx.pathParam("id")).ifPresentOrElse(ctx::json, () -> noSwitchover(ctx));
  }

  private void cancelSwitchover(Context ctx, Caller caller) {
    Optional<Switchovers.Result> found = parts.switchovers().cancel(ctx.pathParam("id"), caller);
    if (found.isEmpty()) {
      noSwitchover(ctx);
      return;
    }
    Switchovers.Switchover switchover = found.get().switchover();
    if (found.get().done()) {
      ctx.json(switchover);
    } else {
      ctx.status(HttpStatus.CONFLICT).json(Map.of("error", "switchover " + switchover.id() + " has already ended: "
          + switchover.state().name().toLowerCase(Locale.ROOT), "switchover", switchover));
    }
  }

  private static void noSwitchover(Context ctx) {
    ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no switchover with id " + ctx.pathParam("id")
        + " (this service keeps the last 100; the audit keeps them all)"));
  }

  private void promotion(Context ctx) {
    parts.gate().find(ctx.pathParam("id")).ifPresentOrElse(ctx::json, () -> ctx.status(HttpStatus.NOT_FOUND)
        .json(Map.of("error", "no promotion, dry run or drill with id " + ctx.pathParam("id"))));
  }

  private void epoch(Context ctx) {
    Optional<EpochRecord> current = parts.control().current();
    if (current.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "no epoch has been claimed on the control topic yet"));
      return;
    }
    EpochRecord epoch = current.get();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("epoch", epoch.getEpoch());
    body.put("primary_region", epoch.getPrimaryRegion());
    body.put("since", epoch.getSince());
    body.put("requested_by", epoch.getRequestedBy());
    body.put("reason", epoch.getReason());
    body.put("forced", epoch.getForced());
    body.put("request_id", epoch.getRequestId());
    ctx.json(body);
  }

  /** Any region's, not only the standbys this service follows: the old primary is usually not one of them. */
  private void fenced(Context ctx) {
    String region = ctx.pathParam("region");
    if (!Validators.isRegionName(region)) {
      throw new PromotionRequests.BadRequestException("region: '" + region + "' is not a region name");
    }
    List<FencedReport.Change> changes = parts.fenced().of(region);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("region", region);
    body.put("count", changes.size());
    body.put("orphaned", changes.stream().filter(c -> !Boolean.TRUE.equals(c.whileApplying())).count());
    body.put("changes", changes);
    ctx.json(body);
  }

  /** The whole chain is verified; {@code last} only limits the entries shown. */
  private void audit(Context ctx) {
    int last = last(ctx);
    List<AuditLog.Entry> entries = parts.audit().readAll();
    AuditLog.Verification verification = AuditLog.verify(entries);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("verifies", verification.verifies());
    body.put("broken_at", verification.brokenAt() < 0 ? null : verification.brokenAt());
    body.put("reason", verification.reason());
    body.put("count", entries.size());
    body.put("entries", entries.subList(Math.max(0, entries.size() - last), entries.size()).stream()
        .map(AuditEntryView::of).toList());
    ctx.json(body);
  }

  private static int last(Context ctx) {
    String text = ctx.queryParam("last");
    if (text == null) {
      return Integer.MAX_VALUE;
    }
    try {
      int last = Integer.parseInt(text);
      if (last >= 1 && last <= MAX_AUDIT_ENTRIES) {
        return last;
      }
    } catch (NumberFormatException e) {
      // the answer below names the field and the range
    }
    throw new PromotionRequests.BadRequestException("last: '" + text + "' is not a number from 1 to "
        + MAX_AUDIT_ENTRIES);
  }

  private String knownRegion(Context ctx) {
    String region = ctx.pathParam("region");
    if (!parts.tracker().regions().contains(region)) {
      throw new UnknownRegionException(region, parts.tracker().regions());
    }
    return region;
  }

  /** A path naming a region this service does not follow: 404. */
  static final class UnknownRegionException extends RuntimeException {
    UnknownRegionException(String region, List<String> regions) {
      super("region '" + region + "' is not one this service follows; it follows " + regions, null, false, false);
    }
  }

  private static String readOpenApi() {
    try (InputStream in = PromotionApi.class.getResourceAsStream("/openapi.json")) {
      if (in == null) {
        throw new IllegalStateException("openapi.json is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    app.stop();
  }
}
