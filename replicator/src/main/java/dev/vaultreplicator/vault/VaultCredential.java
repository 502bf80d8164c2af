package dev.vaultreplicator.vault;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's own Vault token, kept alive: got by its {@link VaultLogin} at {@link #start()},
 * renewed when two thirds of its TTL have passed, got again by logging in when a renewal fails or
 * the token's maximum TTL is near, and checked after Vault refuses it (an expired token is
 * replaced and the request sent once more; a live one means the policy denied the request). A
 * given token is renewed while it is renewable and otherwise left to expire, with a warning. The
 * remaining TTL is the gauge {@code vault.credential.ttl}; an alert watches it.
 */
public final class VaultCredential implements VaultToken, MeterBinder, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(VaultCredential.class);

  private static final Duration SOONEST = Duration.ofSeconds(1);

  /**
   * What Vault granted: the token, when it expires ({@code null}: never), and the TTL it was
   * granted at login (or created with), the measure a renewal is compared against.
   *
   * @param capped a renewal granted less than that: the token's maximum TTL is near
   */
  private record Lease(String token, Instant expires, boolean renewable, Duration granted, boolean capped) {
    Lease(String token, Instant expires, boolean renewable, Duration granted) {
      this(token, expires, renewable, granted, false);
    }
  }

  private final VaultLogin login;
  private final VaultHttp anonymous;
  private final VaultHttp self;
  private final Clock clock;
  private final Tags tags;
  /** The component and the region, for the logs. */
  private final String owner;
  private final RetryPolicy<Object> retry;
  private final ScheduledExecutorService renewer;
  private final Duration backoffInitial;
  private final Duration backoffMax;
  /** No token until the first login. */
  private volatile Lease lease = new Lease("", null, false, Duration.ZERO);
  private Counter loginsOk;
  private Counter loginsRejected;
  private Counter renewalsOk;
  private Counter renewalsFailed;
  private Counter replaced;

  /**
   * @param component with region, names this credential in its metrics and logs
   * @param backoffInitial the first wait before trying an unreachable Vault again; the waits double up to backoffMax
   */
  public VaultCredential(VaultConnection connection, VaultLogin login, String component, String region,
      Duration backoffInitial, Duration backoffMax, Clock clock) {
    this.login = requireNonNull(login, "login");
    this.anonymous = new VaultHttp(connection, () -> "");
    this.self = new VaultHttp(connection, () -> lease.token());
    this.clock = requireNonNull(clock, "clock");
    this.tags = Tags.of("component", component, "region", region);
    this.owner = component + " " + region;
    this.backoffInitial = requireNonNull(backoffInitial, "backoffInitial");
    this.backoffMax = requireNonNull(backoffMax, "backoffMax");
    this.retry = RetryPolicy.builder()
        .handleIf(e -> e instanceof VaultException v && v.failure() == VaultFailure.RETRIABLE)
        .withBackoff(backoffInitial, backoffMax)
        .withMaxRetries(-1)
        .onRetry(e -> LOG.warn("{} for {}: Vault not answering, trying again (attempt {}): {}", login.describe(),
            owner, e.getAttemptCount(), e.getLastException().getMessage()))
        .build();
    this.renewer = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "vault-credential-" + component + "-" + region);
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Vault refused the credential itself: a wrong secret, an expired or revoked token. Settings must change. */
  public static final class RejectedException extends VaultException {
    RejectedException(String message, int status) {
      super(message, status, null);
    }
  }

  /**
   * Gets the first token, waiting (with backoff) while Vault does not answer, and schedules its
   * renewal. For a component that can do nothing without it.
   *
   * @throws RejectedException when Vault refuses the credential: a login's error names the method and
   *     Vault's own words; a given token that does not look itself up is expired, revoked or another Vault's
   */
  public VaultCredential start() {
    lease = retrying(retry, this::first);
    started();
    return this;
  }

  /**
   * Gets the first token on the renewer's thread, trying again with backoff, a refusal included,
   * until it has one; meanwhile requests carry none and are refused. For the promotion service,
   * which must start while a region's Vault is down.
   */
  public VaultCredential startInBackground() {
    RetryPolicy<Object> always = RetryPolicy.builder().handle(VaultException.class).withBackoff(backoffInitial,
        backoffMax).withMaxRetries(-1).onRetry(e -> LOG.warn("{} for {}: no token yet (attempt {}): {}",
            login.describe(), owner, e.getAttemptCount(), e.getLastException().getMessage())).build();
    renewer.execute(() -> {
      lease = retrying(always, this::first);
      started();
    });
    return this;
  }

  private Lease first() {
    return login instanceof VaultLogin.Token given ? lookUp(given.token()) : logIn();
  }

  private void started() {
    LOG.info("{}: token {}", login.describe(), describe(lease));
    if (lease.expires() != null && !lease.renewable() && login instanceof VaultLogin.Token) {
      LOG.warn("the configured token is not renewable and expires at {}: give this component a renewable token "
          + "or a login method (vault.auth.method)", lease.expires());
    }
    scheduleRefresh();
  }

  @Override
  public String get() {
    return lease.token();
  }

  @Override
  public synchronized Optional<String> afterRefusal(String refused) {
    if (lease.token().isEmpty()) {
      return Optional.empty();
    }
    if (!refused.equals(lease.token())) {
      return Optional.of(lease.token());
    }
    if (login instanceof VaultLogin.Token || tokenAlive()) {
      return Optional.empty();
    }
    LOG.warn("Vault refused the token ({}): logging in again", describe(lease));
    try {
      lease = logIn();
      increment(replaced);
      return Optional.of(lease.token());
    } catch (VaultException e) {
      LOG.error("{} failed after Vault refused the token: {}", login.describe(), e.getMessage());
      return Optional.empty();
    }
  }

  /** Seconds until the token expires: +Inf for one that never does, 0 before the first login. */
  public double ttlSeconds() {
    if (lease.token().isEmpty()) {
      return 0;
    }
    Instant expires = lease.expires();
    return expires == null ? Double.POSITIVE_INFINITY
        : Math.max(0, Duration.between(clock.instant(), expires).toMillis() / 1000.0);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("vault.credential.ttl", this, VaultCredential::ttlSeconds).tags(tags).baseUnit("seconds")
        .description("Seconds until this component's Vault token expires (+Inf: never)").register(registry);
    Gauge.builder("vault.credential.granted.ttl", this, c -> c.grantedSeconds()).tags(tags).baseUnit("seconds")
        .description("The TTL the token was granted at login; renewal keeps the TTL above a third of it")
        .register(registry);
    loginsOk = counter(registry, "vault.credential.logins", "ok", "Logins to Vault, by result");
    loginsRejected = counter(registry, "vault.credential.logins", "rejected", "Logins to Vault, by result");
    renewalsOk = counter(registry, "vault.credential.renewals", "ok", "Token renewals, by result");
    renewalsFailed = counter(registry, "vault.credential.renewals", "failed", "Token renewals, by result");
    replaced = Counter.builder("vault.credential.refused.replaced").tags(tags)
        .description("Tokens Vault refused (expired or revoked early) and a new login replaced").register(registry);
  }

  @Override
  public void close() {
    renewer.shutdownNow();
  }

  private double grantedSeconds() {
    Duration granted = lease.granted();
    return granted.isZero() ? Double.POSITIVE_INFINITY : granted.toSeconds();
  }

  private void scheduleRefresh() {
    if (lease.expires() == null) {
      return;
    }
    Duration left = Duration.between(clock.instant(), lease.expires());
    Duration wait = left.minus(left.dividedBy(3));
    renewer.schedule(this::refresh, Math.max(SOONEST.toMillis(), wait.toMillis()), TimeUnit.MILLISECONDS);
  }

  /** Renews the token, or logs in again when it cannot be renewed or its maximum TTL is near. */
  private void refresh() {
    try {
      synchronized (this) {
        lease = renewedOrNew();
      }
      LOG.debug("token {}", describe(lease));
    } catch (RuntimeException e) {
      LOG.error("{}: the token could not be renewed or replaced and expires at {}: {}", login.describe(),
          lease.expires(), e.getMessage());
    } finally {
      if (!renewer.isShutdown() && lease.expires() != null && lease.expires().isAfter(clock.instant())) {
        scheduleRefresh();
      }
    }
  }

  private Lease renewedOrNew() {
    boolean canLogIn = !(login instanceof VaultLogin.Token);
    if (!lease.renewable()) {
      return canLogIn ? retrying(retry, this::logIn) : lease;
    }
    try {
      Lease renewed = renew();
      increment(renewalsOk);
      if (renewed.capped() && canLogIn) {
        LOG.info("the token's maximum TTL caps its renewal ({}): logging in again", describe(renewed));
        return retrying(retry, this::logIn);
      }
      if (renewed.capped()) {
        LOG.warn("the configured token's maximum TTL caps its renewal: it {}", describe(renewed));
      }
      return renewed;
    } catch (VaultException e) {
      increment(renewalsFailed);
      if (!canLogIn) {
        throw e;
      }
      LOG.warn("renewing the token failed ({}): logging in again", e.getMessage());
      return retrying(retry, this::logIn);
    }
  }

  private Lease logIn() {
    ObjectNode body = VaultHttp.JSON.createObjectNode();
    if (login instanceof VaultLogin.AppRole appRole) {
      body.put("role_id", appRole.roleId()).put("secret_id", readSecret(appRole.secretIdFile(), "secret ID"));
    } else if (login instanceof VaultLogin.Jwt jwt) {
      body.put("role", jwt.role()).put("jwt", readSecret(jwt.jwtFile(), "JWT"));
    }
    String path = login.loginPath();
    VaultHttp.Reply reply = anonymous.exchange(VaultHttp.Method.POST, path, null, VaultHttp.bytes(body));
    if (reply.status() >= 400 && reply.status() < 500 && reply.status() != 429) {
      increment(loginsRejected);
      throw new RejectedException(login.describe() + " refused (" + reply.status() + ": " + errors(path, reply)
          + ")", reply.status());
    }
    VaultHttp.expect(VaultHttp.Method.POST, path, reply, 200);
    JsonNode auth = VaultHttp.json(VaultHttp.Method.POST, path, reply).path("auth");
    Duration ttl = Duration.ofSeconds(auth.path("lease_duration").asLong(0));
    increment(loginsOk);
    return new Lease(auth.path("client_token").asText(), expiresIn(ttl), auth.path("renewable").asBoolean(false), ttl);
  }

  private Lease renew() {
    VaultHttp.Reply reply = self.exchange(VaultHttp.Method.POST, "auth/token/renew-self", null, new byte[] {'{', '}'});
    VaultHttp.expect(VaultHttp.Method.POST, "auth/token/renew-self", reply, 200);
    JsonNode auth = VaultHttp.json(VaultHttp.Method.POST, "auth/token/renew-self", reply).path("auth");
    Duration ttl = Duration.ofSeconds(auth.path("lease_duration").asLong(0));
    return new Lease(lease.token(), expiresIn(ttl), auth.path("renewable").asBoolean(false), lease.granted(),
        ttl.compareTo(lease.granted()) < 0);
  }

  /** When a lease of this TTL ends; null for a TTL of zero, which Vault gives a token that never expires. */
  private Instant expiresIn(Duration ttl) {
    return ttl.isZero() ? null : clock.instant().plus(ttl);
  }

  /** A given token as Vault sees it: refused means expired, revoked, or another Vault's. */
  private Lease lookUp(String token) {
    TokenInfo info;
    try {
      info = new VaultGateway(self.connection(), () -> token).tokenSelf();
    } catch (VaultException e) {
      if (e.status() == 403) {
        throw new RejectedException("Vault at " + self.connection() + " refused the configured token (403 on "
            + "auth/token/lookup-self): it has expired, was revoked, or belongs to another Vault or namespace", 403);
      }
      throw e;
    }
    return new Lease(token, info.expireTime(), info.renewable(), info.creationTtl());
  }

  private boolean tokenAlive() {
    try {
      return self.exchange(VaultHttp.Method.GET, "auth/token/lookup-self", null, null).status() == 200;
    } catch (VaultException e) {
      return true;
    }
  }

  private static Lease retrying(RetryPolicy<Object> policy, CheckedSupplier<Lease> attempt) {
    try {
      return Failsafe.with(policy).get(attempt);
    } catch (FailsafeException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
    }
  }

  /** Vault's own words for a refused login: its {@code errors}, which name no secret. */
  private static String errors(String path, VaultHttp.Reply reply) {
    StringJoiner words = new StringJoiner("; ");
    try {
      VaultHttp.json(VaultHttp.Method.POST, path, reply).path("errors").forEach(e -> words.add(e.asText()));
    } catch (VaultException e) {
      return "no readable error";
    }
    return words.length() == 0 ? "no error given" : words.toString();
  }

  private String readSecret(Path file, String what) {
    try {
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw new RejectedException(login.describe() + ": the " + what + " file " + file + " is empty", 400);
      }
      return secret;
    } catch (IOException e) {
      throw new RejectedException(login.describe() + ": cannot read the " + what + " file " + file + " ("
          + e.getClass().getSimpleName() + ")", 400);
    }
  }

  private String describe(Lease lease) {
    return lease.expires() == null ? "never expires"
        : "expires at " + lease.expires() + (lease.renewable() ? ", renewable" : ", not renewable");
  }

  private Counter counter(MeterRegistry registry, String name, String result, String description) {
    return Counter.builder(name).tags(tags).tag("result", result).description(description).register(registry);
  }

  private static void increment(Counter counter) {
    if (counter != null) {
      counter.increment();
    }
  }
}
