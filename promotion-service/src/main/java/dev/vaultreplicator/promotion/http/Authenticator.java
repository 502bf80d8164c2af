package dev.vaultreplicator.promotion.http;

import dev.vaultreplicator.promotion.auth.Caller;
import dev.vaultreplicator.promotion.auth.Role;
import dev.vaultreplicator.promotion.auth.TokenFile;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import java.util.Map;
import java.util.Optional;

/** Bearer tokens on the API: none or an unknown one is 401, a role too low for the route is 403. */
final class Authenticator {

  /** A handler that knows who called. */
  @FunctionalInterface
  interface CallerHandler {
    void handle(Context ctx, Caller caller) throws Exception;
  }

  private static final String BEARER = "Bearer ";

  private final TokenFile tokens;

  Authenticator(TokenFile tokens) {
    this.tokens = tokens;
  }

  Handler as(Role needed, CallerHandler handler) {
    return ctx -> {
      Optional<Caller> caller = caller(ctx);
      if (caller.isEmpty()) {
        ctx.header("WWW-Authenticate", "Bearer").status(HttpStatus.UNAUTHORIZED)
            .json(Map.of("error", "a bearer token is needed (Authorization: Bearer <token>)"));
      } else if (!caller.get().role().includes(needed)) {
        ctx.status(HttpStatus.FORBIDDEN).json(Map.of("error", caller.get().name() + " has the "
            + caller.get().role().label() + " role; this needs " + needed.label()));
      } else {
        handler.handle(ctx, caller.get());
      }
    };
  }

  private Optional<Caller> caller(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.startsWith(BEARER)) {
      return Optional.empty();
    }
    return tokens.caller(header.substring(BEARER.length()).strip());
  }
}
