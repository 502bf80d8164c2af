package dev.vaultreplicator.promotion.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the dashboard's files may hold: nothing that loads from another host (a CDN, a font
 * service), and no way for a value read from the API to become markup.
 */
class DashboardFilesTest {

  private static final List<String> FILES = List.of("index.html", "dashboard.js", "dashboard.css");
  /** An address with a host, or a protocol-relative one; the SVG namespace names no place to load from. */
  private static final Pattern OFF_HOST = Pattern.compile("(https?:)?//[a-z0-9.-]+\\.[a-z]{2,}[^\\s\"')]*");
  private static final String SVG_NAMESPACE = "http://www.w3.org/2000/svg";

  @Test
  void shouldReferToNothingOnAnotherHost() throws IOException {
    for (String file : FILES) {
      Matcher found = OFF_HOST.matcher(read(file));
      while (found.find()) {
        assertThat(found.group()).as(file).isEqualTo(SVG_NAMESPACE);
      }
    }
  }

  @Test
  void shouldSetApiValuesAsTextOnly() throws IOException {
    String script = read("dashboard.js");

    assertThat(script).doesNotContain("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(");
  }

  @Test
  void shouldKeepTheTokenForTheTabOnly() throws IOException {
    String script = read("dashboard.js");

    assertThat(script).contains("sessionStorage").doesNotContain("localStorage", "document.cookie");
  }

  @Test
  void shouldLetTheBrowserLoadOnlyFromThisService() {
    assertThat(PromotionApi.DASHBOARD_POLICY).startsWith("default-src 'none';")
        .contains("script-src 'self'", "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe");
  }

  private static String read(String file) throws IOException {
    try (InputStream in = DashboardFilesTest.class.getResourceAsStream("/dashboard/" + file)) {
      assertThat(in).as(file).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
