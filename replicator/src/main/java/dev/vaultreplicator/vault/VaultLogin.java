package dev.vaultreplicator.vault;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * How a component gets its Vault token: given one, or by logging in to an auth method. Whatever a
 * login needs from a file is read at each login, so a rotated secret ID or a projected service
 * account token is picked up. No {@code toString} prints a secret.
 */
public sealed interface VaultLogin {

  /** Where the login is posted, e.g. {@code auth/approle/login}; null for a given token. */
  String loginPath();

  /** What the logs and errors call it, e.g. "AppRole login at auth/approle". */
  String describe();

  /** A token from the config; it cannot be replaced, only renewed while it is renewable. */
  record Token(String token) implements VaultLogin {
    public Token {
      requireNonNull(token, "token");
    }

    @Override
    public String loginPath() {
      return null;
    }

    @Override
    public String describe() {
      return "the configured token";
    }

    @Override
    public String toString() {
      return "Token[hidden]";
    }
  }

  /** AppRole: a role ID and a secret ID read from a file at each login. */
  record AppRole(String mount, String roleId, Path secretIdFile) implements VaultLogin {
    public AppRole {
      requireNonNull(mount, "mount");
      requireNonNull(roleId, "roleId");
      requireNonNull(secretIdFile, "secretIdFile");
    }

    @Override
    public String loginPath() {
      return "auth/" + mount + "/login";
    }

    @Override
    public String describe() {
      return "AppRole login at auth/" + mount;
    }

    @Override
    public String toString() {
      return "AppRole[auth/" + mount + ", secret ID from " + secretIdFile + "]";
    }
  }

  /**
   * A signed JWT read from a file at each login, for a role: the {@code jwt} method, or the
   * {@code kubernetes} one with the pod's service account token (the same request).
   */
  record Jwt(String method, String mount, String role, Path jwtFile) implements VaultLogin {
    public Jwt {
      requireNonNull(method, "method");
      requireNonNull(mount, "mount");
      requireNonNull(role, "role");
      requireNonNull(jwtFile, "jwtFile");
    }

    @Override
    public String loginPath() {
      return "auth/" + mount + "/login";
    }

    @Override
    public String describe() {
      return (method.equals("kubernetes") ? "Kubernetes" : "JWT") + " login at auth/" + mount + " as role " + role;
    }

    @Override
    public String toString() {
      return "Jwt[auth/" + mount + ", role " + role + ", token from " + jwtFile + "]";
    }
  }
}
