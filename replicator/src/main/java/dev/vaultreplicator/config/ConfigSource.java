package dev.vaultreplicator.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where configuration comes from: a properties file, then environment variables, which win. The
 * variable for a key is {@code VAULT_REPLICATOR_} and the key upper-cased with dots as
 * underscores: {@code vault.token} is {@code VAULT_REPLICATOR_VAULT_TOKEN}. A key nobody declared is
 * refused, so a typo cannot silently fall back to a default.
 */
public final class ConfigSource {

  public static final String ENV_PREFIX = "VAULT_REPLICATOR_";

  private ConfigSource() {}

  public static String envName(String key) {
    return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  /**
   * @param file may be null: environment only
   * @param declared the keys the command declares, so their variables can be found
   * @param known which keys are accepted in the file (declared ones and any dynamic families)
   */
  public static Map<String, String> load(Path file, Map<String, String> environment,
      Iterable<String> declared, Predicate<String> known) {
    Map<String, String> values = new TreeMap<>();
    if (file != null) {
      Properties properties = read(file);
      for (String key : properties.stringPropertyNames()) {
        if (!known.test(key)) {
          throw new ConfigException("unknown configuration key '" + key + "' in " + file);
        }
        values.put(key, properties.getProperty(key).strip());
      }
    }
    for (String key : declared) {
      String fromEnvironment = environment.get(envName(key));
      if (fromEnvironment != null) {
        values.put(key, fromEnvironment.strip());
      }
    }
    return values;
  }

  private static Properties read(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
      return properties;
    } catch (NoSuchFileException e) {
      throw new ConfigException("configuration file " + file + " does not exist");
    } catch (IOException | IllegalArgumentException e) {
      throw new ConfigException("configuration file " + file + " cannot be read: " + e.getClass().getSimpleName());
    }
  }
}
