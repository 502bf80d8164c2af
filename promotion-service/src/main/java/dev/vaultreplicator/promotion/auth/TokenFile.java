package dev.vaultreplicator.promotion.auth;

import dev.vaultreplicator.Sha256;
import dev.vaultreplicator.seal.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API's bearer tokens, stored as SHA-256 hashes: one line per caller, {@code <name> <role>
 * <sha256 of the token, hex>}; {@code #} starts a comment. The file is refused when group or others
 * may access it. Every refusal names the line, never its hash.
 */
public final class TokenFile {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  private final Map<String, Caller> byHash;

  private TokenFile(Map<String, Caller> byHash) {
    this.byHash = Map.copyOf(byHash);
  }

  public static TokenFile load(Path file) {
    String source = "token file " + file;
    OwnerOnlyFiles.problem(file, source).ifPresent(problem -> {
      throw new IllegalArgumentException(problem);
    });
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " cannot be read: " + e.getClass().getSimpleName(), e);
    }
    Map<String, Caller> byHash = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String where = source + ", line " + (i + 1);
      String[] fields = line.split("\\s+");
      if (fields.length != 3) {
        throw new IllegalArgumentException(where + ": expected '<name> <role> <sha256 of the token>'");
      }
      if (!NAME.matcher(fields[0]).matches()) {
        throw new IllegalArgumentException(where + ": a name is 1 to 64 letters, digits or ._@-");
      }
      Role role;
      try {
        role = Role.parse(fields[1]);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": " + e.getMessage());
      }
      if (!SHA256_HEX.matcher(fields[2]).matches()) {
        throw new IllegalArgumentException(where + ": the third field must be the token's SHA-256 in lower-case hex "
            + "(printf %s \"$TOKEN\" | sha256sum), not the token");
      }
      if (byHash.putIfAbsent(fields[2], new Caller(fields[0], role)) != null) {
        throw new IllegalArgumentException(where + ": the same token is listed twice");
      }
    }
    if (byHash.isEmpty()) {
      throw new IllegalArgumentException(source + " lists no token");
    }
    return new TokenFile(byHash);
  }

  /** The caller a presented bearer token belongs to, if any. */
  public Optional<Caller> caller(String token) {
    return Optional.ofNullable(byHash.get(Sha256.hex(token)));
  }

}
