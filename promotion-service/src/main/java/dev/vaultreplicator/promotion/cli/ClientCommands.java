package dev.vaultreplicator.promotion.cli;

import static dev.vaultreplicator.promotion.cli.ClientOptions.DONE;
import static dev.vaultreplicator.promotion.cli.ClientOptions.ERROR;
import static dev.vaultreplicator.promotion.cli.ClientOptions.REFUSED;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The commands for the person on call, each one request to the promotion service: human tables
 * by default, {@code --json} for scripts, and exit codes scripts branch on: 0 done (or fit), 2
 * refused or blocked, 1 an error.
 */
public final class ClientCommands {

  private ClientCommands() {}

  /** One request, and what its answer prints and exits with. */
  abstract static class ClientCommand implements Callable<Integer> {
    @Mixin
    ClientOptions options;

    @Spec
    CommandSpec spec;

    PrintWriter out;
    PrintWriter err;

    @Override
    public final Integer call() {
      out = spec.commandLine().getOut();
      err = spec.commandLine().getErr();
      try {
        return run(options.client());
      } catch (ClientOptions.UsageException | PromotionClient.UnreachableException e) {
        return ClientOptions.fail(err, ERROR, e.getMessage());
      } finally {
        out.flush();
        err.flush();
      }
    }

    abstract int run(PromotionClient client) throws PromotionClient.UnreachableException;

    /**
     * An answer with one of the {@code expected} statuses is printed (as JSON with {@code --json},
     * else by {@code human}) and exits with {@code exitCode}; any other says what went wrong.
     */
    int answered(PromotionClient.Answer answer, ToIntFunction<PromotionClient.Answer> exitCode,
        Consumer<JsonNode> human, int... expected) {
      int unexpected = ClientOptions.unlessExpected(answer, err, expected);
      if (unexpected >= 0) {
        return unexpected;
      }
      if (options.json) {
        ClientOptions.printJson(out, answer.body());
      } else {
        human.accept(answer.body());
      }
      return exitCode.applyAsInt(answer);
    }

    static String path(String region) {
      return URLEncoder.encode(region, StandardCharsets.UTF_8);
    }

    /** A drill's or promotion's report: what was decided, the checks, the data at risk. */
    void report(JsonNode report) {
      out.println(report.path("outcome").asText() + ": " + report.path("message").asText());
      out.print(ClientOptions.checks(report.path("checks")));
      String risk = report.path("risk_window").path("statement").asText("");
      if (!risk.isEmpty()) {
        out.println("risk: " + risk);
      }
      String id = report.path("id").asText();
      out.println("recorded as " + id + " (GET /v1/promotions/" + id + ")");
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "Each region: its lag, pending events, the primary's silence, and the checks that do not pass.")
  public static final class Status extends ClientCommand {
    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      return answered(client.get("v1/status"), answer -> DONE, this::print, 200);
    }

    private void print(JsonNode status) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode region : status.path("regions")) {
        List<String> notPassing = new ArrayList<>();
        boolean fit = true;
        for (JsonNode check : region.path("checks")) {
          String verdict = check.path("status").asText();
          if (!verdict.equals("PASS")) {
            notPassing.add(check.path("name").asText() + " " + verdict);
            fit &= verdict.equals("WARN");
          }
        }
        rows.add(List.of(region.path("region").asText(), region.path("state").asText(),
            seconds(region.path("lag_seconds")), region.path("pending_events").asText("-"),
            seconds(region.path("primary_silence_seconds")), fit ? "yes" : "no",
            notPassing.isEmpty() ? "-" : String.join(", ", notPassing)));
      }
      out.print(ClientOptions.table(List.of("REGION", "STATE", "LAG", "PENDING", "SILENCE", "FIT", "NOT PASSING"),
          rows, 12, 9, 10, 9, 10, 5, 60));
    }

    private static String seconds(JsonNode value) {
      return value.isNumber() ? String.format("%.1fs", value.asDouble()) : "-";
    }
  }

  @Command(name = "readiness", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "Every check of one region, with its reason. Exit 0 when fit to promote, 2 when not.")
  public static final class Readiness extends ClientCommand {
    @Parameters(paramLabel = "REGION", description = "The standby region.")
    String region;

    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      return answered(client.get("v1/readiness/" + path(region)),
          answer -> answer.body().path("fit").asBoolean() ? DONE : REFUSED, readiness -> {
            out.println(region + (readiness.path("fit").asBoolean() ? ": fit to promote" : ": NOT fit to promote"));
            out.print(ClientOptions.checks(readiness.path("checks")));
          }, 200);
    }
  }

  @Command(name = "drill", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "Every check and a promotion dry run, recorded in the audit chain; nothing changes. Exit 0 when "
          + "a promotion would be allowed, 2 when not.")
  public static final class Drill extends ClientCommand {
    @Parameters(paramLabel = "REGION", description = "The standby region.")
    String region;

    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      return answered(client.post("v1/drills/" + path(region), null),
          answer -> answer.body().path("outcome").asText().equals("ALLOWED") ? DONE : REFUSED, this::report, 200);
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "Promote a standby region: the service runs every check first and refuses while one fails. "
          + "Exit 0 when promoted (or, with --dry-run, when it would be), 2 when refused.")
  public static final class Promote extends ClientCommand {
    @Parameters(paramLabel = "REGION", description = "The standby region to make primary.")
    String region;

    @Option(names = "--reason", required = true, description = "Why, for the audit: required.")
    String reason;

    @Option(names = "--dry-run", description = "Run every check and say what would happen; nothing changes.")
    boolean dryRun;

    @Option(names = "--force", description = "Promote past failing checks (needs a breakglass token); the report "
        + "states the data at risk.")
    boolean force;

    @Option(names = "--ack-recovery-block", paramLabel = "COMMENT", description = "Promote within the recovery "
        + "block after the last promotion, saying why (recorded).")
    String recoveryBlockAck;

    @Option(names = "--idempotency-key", paramLabel = "KEY", description = "A retry with the same key gets the "
        + "first answer instead of a second promotion.")
    String idempotencyKey;

    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      ObjectNode body = JsonNodeFactory.instance.objectNode().put("region", region).put("reason", reason)
          .put("dry_run", dryRun).put("force", force);
      if (recoveryBlockAck != null) {
        body.put("recovery_block_ack", recoveryBlockAck);
      }
      if (idempotencyKey != null) {
        body.put("idempotency_key", idempotencyKey);
      }
      return answered(client.post("v1/promotions", body), answer -> answer.status() == 409 ? REFUSED : DONE,
          this::report, 200, 201, 409);
    }
  }

  @Command(name = "switchover", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "A planned switchover: the target waits until it has applied everything the primary committed "
          + "before a watermark taken at the start, and every check passes, then is promoted. Exit 0 when accepted "
          + "(with --wait: when promoted), 2 when refused, timed out or cancelled.")
  public static final class Switchover extends ClientCommand {
    private static final long POLL_MILLIS = 1_000;

    @Parameters(paramLabel = "REGION", description = "The standby region to make primary.")
    String region;

    @Option(names = "--reason", required = true, description = "Why, for the audit: required.")
    String reason;

    @Option(names = "--at", paramLabel = "TIME", description = "When to start, RFC 3339 (default: now).")
    String at;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "How long to wait for the target, e.g. 5m "
        + "(the service's default: 5m).")
    String timeout;

    @Option(names = "--wait", description = "Follow it until it ends, printing what it waits for.")
    boolean await;

    @Option(names = "--stop-writes", description = "Seal the old primary once the target has caught up, then "
        + "promote once the target has applied everything committed before the seal: nothing lost, but the old "
        + "primary stays sealed until someone unseals it.")
    boolean stopWrites;

    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      ObjectNode body = JsonNodeFactory.instance.objectNode().put("region", region).put("reason", reason);
      if (at != null) {
        body.put("scheduled_at", at);
      }
      if (timeout != null) {
        body.put("timeout", timeout);
      }
      if (stopWrites) {
        body.put("stop_writes", true);
      }
      PromotionClient.Answer answer = client.post("v1/switchovers", body);
      if (!await || answer.status() != 202) {
        return answered(answer, a -> a.status() == 409 ? REFUSED : DONE, this::print, 202, 409);
      }
      String id = answer.body().path("id").asText();
      String shown = "";
      while (true) {
        PromotionClient.Answer now = client.get("v1/switchovers/" + ClientCommand.path(id));
        if (now.status() != 200) {
          return ClientOptions.unlessExpected(now, err);
        }
        String state = now.body().path("state").asText();
        String line = state + (now.body().path("waiting_for").isTextual()
            ? ": waiting for " + now.body().path("waiting_for").asText() : "");
        if (!options.json && !line.equals(shown)) {
          out.println(line);
          out.flush();
          shown = line;
        }
        if (!state.equals("SCHEDULED") && !state.equals("WAITING")) {
          if (options.json) {
            ClientOptions.printJson(out, now.body());
          } else {
            print(now.body());
          }
          return state.equals("PROMOTED") ? DONE : REFUSED;
        }
        try {
          Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return ERROR;
        }
      }
    }

    private void print(JsonNode switchover) {
      JsonNode shown = switchover.has("switchover") ? switchover.path("switchover") : switchover;
      if (switchover.has("error")) {
        out.println("REFUSED: " + switchover.path("error").asText());
      }
      out.println("switchover " + shown.path("id").asText() + " to " + shown.path("region").asText() + ": "
          + shown.path("state").asText() + (shown.path("message").isTextual() ? ": " + shown.path("message").asText()
              : ""));
    }
  }

  @Command(name = "audit", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "Every decision in the audit chain, and whether the chain verifies. With --verify, exit 2 when "
          + "it does not.")
  public static final class Audit extends ClientCommand {
    @Option(names = "--verify", description = "Exit 2 when the chain does not verify.")
    boolean verify;

    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      return answered(client.get("v1/audit"),
          answer -> verify && !answer.body().path("verifies").asBoolean() ? REFUSED : DONE, this::print, 200);
    }

    private void print(JsonNode audit) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode entry : audit.path("entries")) {
        JsonNode decision = entry.path("decision");
        rows.add(List.of(entry.path("offset").asText(), decision.path("time").asText("-"),
            decision.path("action").asText("-") + (decision.path("dry_run").asBoolean() ? " (dry run)" : ""),
            decision.path("region").asText("-"), decision.path("outcome").asText("-"),
            decision.path("requested_by").asText("-"), decision.path("message").asText("")));
      }
      out.print(ClientOptions.table(List.of("OFFSET", "TIME", "ACTION", "REGION", "OUTCOME", "BY", "MESSAGE"),
          rows, 7, 25, 20, 10, 9, 16, 60));
      out.println(audit.path("verifies").asBoolean() ? "the chain verifies"
          : "the chain does NOT verify: " + audit.path("reason").asText());
    }
  }

  @Command(name = "fenced", mixinStandardHelpOptions = true, exitCodeOnInvalidInput = ERROR,
      description = "The changes a region's Vault committed while the epoch named another region, which were not "
          + "replicated: what a failover orphaned, to carry over by hand. Paths and versions, never values.")
  public static final class Fenced extends ClientCommand {
    @Parameters(paramLabel = "REGION", description = "The region (usually the old primary).")
    String region;

    @Override
    int run(PromotionClient client) throws PromotionClient.UnreachableException {
      return answered(client.get("v1/fenced/" + path(region)), answer -> DONE, this::print, 200);
    }

    private void print(JsonNode fenced) {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode change : fenced.path("changes")) {
        String where = change.path("mount").isTextual() ? change.path("mount").asText() + "/" : "policy ";
        JsonNode applying = change.path("while_applying");
        rows.add(List.of(change.path("kind").asText(), where + change.path("path").asText(),
            change.path("version").asText("-"), change.path("commit_time").asText(),
            change.path("epoch").asText() + " (" + change.path("primary_region").asText() + ")",
            applying.isBoolean() && applying.asBoolean() ? "maybe replication" : "orphaned"));
      }
      out.print(ClientOptions.table(List.of("KIND", "PATH", "VERSION", "COMMITTED", "EPOCH", "WHAT"), rows,
          7, 40, 8, 25, 14, 18));
      out.println(fenced.path("count").asInt() + " changes, " + fenced.path("orphaned").asInt() + " orphaned");
    }
  }
}
