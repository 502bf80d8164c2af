package dev.vaultreplicator.vault;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * How to reach one Vault: its address, the timeout of each request, the namespace every request is
 * made in ({@code X-Vault-Namespace}) and the TLS context for an https address.
 *
 * @param namespace empty for the root namespace
 * @param tls the trust (and client identity) for an https address; {@code null} takes the JVM's default
 */
public record VaultConnection(URI address, Duration timeout, String namespace, SSLContext tls) {

  public VaultConnection {
    requireNonNull(address, "address");
    requireNonNull(timeout, "timeout");
    namespace = namespace == null ? "" : namespace;
  }

  /** The root namespace, and the JVM's default trust for an https address. */
  public static VaultConnection of(URI address, Duration timeout) {
    return new VaultConnection(address, timeout, "", null);
  }

  @Override
  public String toString() {
    return namespace.isEmpty() ? address.toString() : address + " (namespace " + namespace + ")";
  }
}
