package dev.vaultreplicator.promotion.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vaultreplicator.Sha256;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {

  @TempDir
  Path dir;

  @Test
  void shouldFindTheCallerOfAKnownTokenAndNoneForAnother() throws Exception {
    TokenFile tokens = TokenFile.load(file("# callers\nolga operator " + Sha256.hex("s3cret") + "\n\n"));

    assertThat(tokens.caller("s3cret")).contains(new Caller("olga", Role.OPERATOR));
    assertThat(tokens.caller("S3cret")).isEmpty();
  }

  @Test
  void shouldRefuseAFileOthersCanRead() throws Exception {
    Path file = file("olga operator " + Sha256.hex("x"));
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThatThrownBy(() -> TokenFile.load(file)).hasMessageContaining("accessible by group or others")
        .hasMessageContaining("chmod 600");
  }

  @Test
  void shouldNameTheLineOfEveryMistakeAndNeverQuoteIt() throws Exception {
    assertThatThrownBy(() -> TokenFile.load(file("olga operator plain-token-not-a-hash")))
        .hasMessageContaining("line 1").hasMessageContaining("SHA-256").hasMessageNotContaining("plain-token");
    assertThatThrownBy(() -> TokenFile.load(file("\nolga admin " + Sha256.hex("x"))))
        .hasMessageContaining("line 2").hasMessageContaining("unknown role 'admin'");
    assertThatThrownBy(() -> TokenFile.load(file("olga operator")))
        .hasMessageContaining("expected '<name> <role> <sha256 of the token>'");
    assertThatThrownBy(() -> TokenFile.load(file("a viewer " + Sha256.hex("x") + "\nb operator "
        + Sha256.hex("x")))).hasMessageContaining("line 2: the same token is listed twice");
    assertThatThrownBy(() -> TokenFile.load(file("# nobody"))).hasMessageContaining("lists no token");
  }

  @Test
  void shouldLetEachRoleDoWhatTheOnesBelowItDo() {
    assertThat(Role.BREAKGLASS.includes(Role.OPERATOR)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.VIEWER)).isTrue();
    assertThat(Role.OPERATOR.includes(Role.BREAKGLASS)).isFalse();
    assertThat(Role.VIEWER.includes(Role.OPERATOR)).isFalse();
  }

  private Path file(String content) throws Exception {
    Path file = Files.createTempFile(dir, "tokens", "");
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }
}
