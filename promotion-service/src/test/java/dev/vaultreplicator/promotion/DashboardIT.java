package dev.vaultreplicator.promotion;

import static dev.vaultreplicator.promotion.PromotionStack.OPERATOR;
import static dev.vaultreplicator.promotion.PromotionStack.VIEWER;
import static dev.vaultreplicator.promotion.PromotionStack.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vaultreplicator.apply.Apply;
import dev.vaultreplicator.testing.VaultKind;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard in a real browser (Debian's chromium, headless) against a real stack on OpenBao:
 * what the person on call sees, and that the promote button does what it says and nothing else.
 */
class DashboardIT extends PromotionStackBase {

  @TempDir
  Path profile;

  private Browser browser;

  @Override
  VaultKind vaultKind() {
    return VaultKind.OPENBAO;
  }

  @BeforeEach
  void openBrowser() {
    Browser.missing().ifPresent(reason -> Assumptions.abort(reason));
    browser = new Browser(profile);
  }

  @AfterEach
  void closeBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void shouldShowTheRegionsWithLiveLagToAViewerWhoCannotPromote() throws Exception {
    Apply apply = stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    signIn(service, VIEWER);

    await().atMost(WAIT).ignoreExceptions().until(() -> lagSeconds("west") < 2.0);
    apply.close();
    stack.primary.write("app/db", "{\"v\":\"2\"}");
    await().atMost(WAIT).ignoreExceptions().until(() -> lagSeconds("west") >= 3.0);

    assertThat(browser.driver.findElement(By.id("caller-name")).getText()).isEqualTo("vic (viewer)");
    assertThat(browser.driver.findElements(By.cssSelector("[data-region=west] .lag-line"))).isNotEmpty();
    assertThat(region("west").findElement(By.cssSelector(".promote")).isEnabled()).isFalse();
    assertThat(region("west").findElement(By.cssSelector(".blocked")).getText())
        .isEqualTo("Your token has the viewer role: promoting needs an operator token.");
    HttpResponse<String> page = stack.get(service, "/", null);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(policy ->
        assertThat(policy).contains("default-src 'none'", "connect-src 'self'", "script-src 'self'"));
  }

  @Test
  void shouldShowTheFailingCheckAndKeepTheButtonDisabledWhileARegionIsBlocked() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of(PromotionConfig.REGIONS, "west,north"));
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    signIn(service, OPERATOR);

    await().atMost(WAIT).ignoreExceptions().until(() -> region("west").findElement(By.cssSelector(".promote"))
        .isEnabled());
    WebElement north = region("north");
    WebElement lagCheck = north.findElement(By.cssSelector("[data-check=replication-lag]"));

    // One region fit, one blocked: target/dashboard.png keeps what the browser showed, for a failure's record.
    browser.screenshot(Path.of("target", "dashboard.png"));

    assertThat(lagCheck.getAttribute("data-status")).isIn("FAIL", "UNKNOWN");
    assertThat(north.findElement(By.cssSelector(".promote")).isEnabled()).isFalse();
    assertThat(north.findElement(By.cssSelector(".blocked")).getText()).startsWith("Blocked by replication-lag: ");
  }

  @Test
  void shouldShowWhatAPendingSwitchoverWaitsForAndCancelItFromTheButton() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of(PromotionConfig.REGIONS, "west,north"));
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    String id = PromotionStack.json(stack.post(service, "/v1/switchovers",
        "{\"region\":\"north\",\"reason\":\"move to north\"}", OPERATOR)).path("id").asText();
    signIn(service, OPERATOR);

    WebElement shown = await().atMost(WAIT).ignoreExceptions().until(() -> browser.driver.findElement(
        By.cssSelector("[data-switchover='" + id + "'][data-state=WAITING]")), element -> element.isDisplayed());
    String waiting = shown.findElement(By.cssSelector(".waiting")).getText();
    shown.findElement(By.cssSelector(".cancel-switchover")).click();

    assertThat(waiting).startsWith("Waiting for north's lag to be known");
    await().atMost(WAIT).ignoreExceptions().until(() -> browser.driver.findElement(
        By.cssSelector("[data-switchover='" + id + "']")).getAttribute("data-state").equals("CANCELLED"));
    assertThat(PromotionStack.json(stack.get(service, "/v1/switchovers/" + id, VIEWER)).path("message").asText())
        .startsWith("cancelled by olga");
  }

  @Test
  void shouldPromoteOnceTheRegionsNameIsTypedAndShowTheNewEpoch() throws Exception {
    stack.startApply("west");
    PromotionService service = stack.startService(Map.of());
    stack.primary.write("app/db", "{\"v\":\"1\"}");
    stack.awaitFit(service, "west");
    signIn(service, OPERATOR);
    await().atMost(WAIT).ignoreExceptions().until(() -> browser.driver.findElement(By.id("epoch"))
        .getAttribute("data-epoch").equals("1") && region("west").findElement(By.cssSelector(".promote")).isEnabled());

    region("west").findElement(By.cssSelector(".promote")).click();
    WebElement submit = browser.driver.findElement(By.id("promote-submit"));
    await().atMost(WAIT).until(() -> browser.driver.findElements(By.cssSelector("#promote-checks tr[data-check]"))
        .size() > 1);
    browser.driver.findElement(By.id("promote-reason")).sendKeys("east is down (dashboard test)");
    browser.driver.findElement(By.id("promote-confirm")).sendKeys("wes");
    boolean enabledOnAWrongName = submit.isEnabled();
    browser.driver.findElement(By.id("promote-confirm")).sendKeys("t");
    boolean enabledOnTheName = submit.isEnabled();
    submit.click();

    await().atMost(WAIT).until(() -> browser.driver.findElement(By.id("epoch")).getAttribute("data-epoch")
        .equals("2"));
    assertThat(enabledOnAWrongName).isFalse();
    assertThat(enabledOnTheName).isTrue();
    assertThat(browser.driver.findElement(By.id("epoch")).getText()).startsWith("epoch 2 · primary west");
    assertThat(browser.driver.findElement(By.id("promote-result")).getText()).contains("west");
    assertThat(PromotionStack.json(stack.get(service, "/v1/epoch", VIEWER)).path("requested_by").asText())
        .isEqualTo("olga");
  }

  private void signIn(PromotionService service, String token) {
    browser.driver.get("http://127.0.0.1:" + service.port() + "/");
    browser.driver.findElement(By.id("token")).sendKeys(token);
    browser.driver.findElement(By.cssSelector("#login-form button")).click();
    await().atMost(WAIT).until(() -> browser.driver.findElement(By.id("board")).isDisplayed());
  }

  private WebElement region(String name) {
    return browser.driver.findElement(By.cssSelector("[data-region=" + name + "]"));
  }

  private double lagSeconds(String region) {
    String text = region(region).findElement(By.cssSelector("[data-figure=lag]")).getText();
    return Double.parseDouble(text.replace(" s", ""));
  }
}
