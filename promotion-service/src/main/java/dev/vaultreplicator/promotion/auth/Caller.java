package dev.vaultreplicator.promotion.auth;

/** Who made a request, as named in the token file: the audit records the name, never the token. */
public record Caller(String name, Role role) { }
