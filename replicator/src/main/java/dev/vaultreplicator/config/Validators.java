package dev.vaultreplicator.config;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** The validators and readers that capture's and apply's settings share. */
public final class Validators {

  private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

  private Validators() {}

  public static boolean isRegionName(String text) {
    return text != null && REGION_NAME.matcher(text).matches();
  }

  public static ConfigDef.Validator regionName() {
    return (name, value) -> {
      if (value == null || !isRegionName(value.toString())) {
        throw new ConfigException(name, value, "lower-case letters, digits and '-', starting with a letter or digit");
      }
    };
  }

  public static ConfigDef.Validator httpUrl() {
    return (name, value) -> {
      try {
        URI uri = URI.create(String.valueOf(value));
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
          throw new ConfigException(name, value, "must be an http:// or https:// address");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(name, value, "must be an http:// or https:// address");
      }
    };
  }

  /** The token from {@code tokenKey}, or else from the file named by {@code fileKey}. */
  public static String token(Password token, String tokenFile, String tokenKey, String fileKey) {
    if (token != null && !token.value().isBlank()) {
      return token.value().strip();
    }
    if (tokenFile == null || tokenFile.isBlank()) {
      throw new ConfigException("Missing " + tokenKey + ": set it, or " + fileKey
          + ", or the environment variable " + ConfigSource.envName(tokenKey));
    }
    try {
      String read = Files.readString(Path.of(tokenFile), StandardCharsets.UTF_8).strip();
      if (read.isEmpty()) {
        throw new ConfigException(fileKey, tokenFile, "the file is empty");
      }
      return read;
    } catch (IOException e) {
      throw new ConfigException(fileKey, tokenFile, "cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }
}
