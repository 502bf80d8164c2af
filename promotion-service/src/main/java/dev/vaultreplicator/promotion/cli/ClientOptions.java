package dev.vaultreplicator.promotion.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vaultreplicator.tls.PemTls;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

/**
 * What every client command shares: where the service is, the token (from the environment or a
 * file, never from a flag that {@code ps} would show), {@code --json}, the exit codes, and how
 * an answer is printed.
 */
final class ClientOptions {

  static final int DONE = 0;
  static final int ERROR = 1;
  static final int REFUSED = 2;

  private static final ObjectMapper JSON = new ObjectMapper();

  @Option(names = "--url", paramLabel = "URL", description = "The promotion service (default: $PROMOTION_URL).")
  URI url;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "A file holding the bearer token (default: the token in $PROMOTION_TOKEN).")
  Path tokenFile;

  @Option(names = "--ca-file", paramLabel = "FILE", description = "PEM certificates to trust for an https service "
      + "(default: $PROMOTION_CA_FILE, else the JVM's authorities).")
  Path caFile;

  @Option(names = "--json", description = "Print the service's JSON answer as it is, for scripts.")
  boolean json;

  /** Read from the process environment; a test sets its own. */
  Map<String, String> environment = System.getenv();

  /** Input the command cannot run with: printed, exit 1. */
  static final class UsageException extends Exception {
    UsageException(String message) {
      super(message, null, false, false);
    }
  }

  PromotionClient client() throws UsageException {
    URI base = url;
    if (base == null) {
      String fromEnvironment = environment.get("PROMOTION_URL");
      if (fromEnvironment == null || fromEnvironment.isBlank()) {
        throw new UsageException("no service address: set PROMOTION_URL or pass --url");
      }
      base = URI.create(fromEnvironment.strip());
    }
    if ("http".equals(base.getScheme()) && !isLoopback(base.getHost())) {
      throw new UsageException("refusing to send the token in clear to " + base + ": use https:// (the service "
          + "listens with TLS anywhere but on loopback)");
    }
    String path = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
    return new PromotionClient(base.resolve(path), token(), tls());
  }

  /** Trust for an https service: the CA file's certificates, or null for the JVM's authorities. */
  private SSLContext tls() throws UsageException {
    Path file = caFile;
    String fromEnvironment = environment.get("PROMOTION_CA_FILE");
    if (file == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
      file = Path.of(fromEnvironment.strip());
    }
    if (file == null) {
      return null;
    }
    try {
      return PemTls.client(PemTls.trust(file), null, null);
    } catch (RuntimeException e) {
      throw new UsageException("cannot read the CA file " + file + ": " + e.getClass().getSimpleName());
    }
  }

  private static boolean isLoopback(String host) {
    try {
      return host != null && InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private String token() throws UsageException {
    if (tokenFile != null) {
      try {
        String token = Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
        if (token.isEmpty()) {
          throw new UsageException(tokenFile + " is empty");
        }
        return token;
      } catch (IOException e) {
        throw new UsageException("cannot read the token file " + tokenFile + ": " + e.getClass().getSimpleName());
      }
    }
    String token = environment.get("PROMOTION_TOKEN");
    if (token == null || token.isBlank()) {
      throw new UsageException("no token: set PROMOTION_TOKEN or pass --token-file");
    }
    return token.strip();
  }

  /**
   * Prints what went wrong for an answer that is not the command's own business and returns its
   * exit code, or returns -1 for an answer the command prints itself.
   */
  static int unlessExpected(PromotionClient.Answer answer, PrintWriter err, int... expected) {
    for (int status : expected) {
      if (answer.status() == status) {
        return -1;
      }
    }
    String error = answer.body().path("error").asText(answer.text().strip());
    return switch (answer.status()) {
      case 401 -> fail(err, ERROR, "the service refused the token (401): is PROMOTION_TOKEN or --token-file right?");
      case 403 -> fail(err, REFUSED, "refused (403): " + error);
      default -> fail(err, ERROR, "the service answered " + answer.status() + ": " + error);
    };
  }

  static int fail(PrintWriter err, int code, String message) {
    err.println("promotion: " + message);
    return code;
  }

  static void printJson(PrintWriter out, JsonNode body) {
    try {
      out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    } catch (IOException e) {
      out.println(body);
    }
  }

  /** Rows under a header, each column as wide as it must be up to {@code widths} (longer text wraps). */
  static String table(List<String> header, List<List<String>> rows, int... widths) {
    CommandLine.Help.TextTable table = CommandLine.Help.TextTable.forColumnWidths(
        CommandLine.Help.defaultColorScheme(Ansi.OFF), widths);
    table.addRowValues(header.toArray(String[]::new));
    rows.forEach(row -> table.addRowValues(row.toArray(String[]::new)));
    return table.toString();
  }

  /** The checks of a readiness, drill or promotion report. */
  static String checks(JsonNode checks) {
    List<List<String>> rows = new ArrayList<>();
    checks.forEach(c -> rows.add(List.of(c.path("name").asText(), c.path("status").asText(),
        c.path("reason").asText())));
    return table(List.of("CHECK", "STATUS", "REASON"), rows, 20, 9, 90);
  }
}
