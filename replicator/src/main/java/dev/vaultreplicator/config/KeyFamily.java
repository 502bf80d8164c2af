package dev.vaultreplicator.config;

/**
 * Keys a config accepts by pattern rather than by name, such as {@code mount.<name>.include}: how
 * the family is written, one key of it that the config accepts, and what it means. The
 * configuration reference lists them beside the declared keys.
 */
public record KeyFamily(String form, String example, String documentation) {}
