package dev.vaultreplicator.promotion;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium, headless, driven by Debian's chromedriver: both named by path so Selenium
 * never looks for (or downloads) a browser or driver of its own. {@code .ci/run} installs them.
 */
final class Browser implements AutoCloseable {

  private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER",
      "/usr/bin/chromedriver"));

  final ChromeDriver driver;

  /**
   * Why no browser can run here, or empty when one can: like the real-server tests without
   * {@code bao}, the browser tests are then skipped with this reason; CI installs both and fails
   * if it cannot.
   */
  static Optional<String> missing() {
    for (Path needed : new Path[] {CHROMIUM, CHROMEDRIVER}) {
      if (!Files.isExecutable(needed)) {
        return Optional.of(needed + " is missing: the dashboard's browser tests need Debian's chromium and "
            + "chromium-driver (apt-get install chromium chromium-driver, as .ci/run does), or CHROMIUM and "
            + "CHROMEDRIVER naming others");
      }
    }
    return Optional.empty();
  }

  /** @param profile an empty directory: a fresh profile, so no earlier run's storage leaks in */
  Browser(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-background-networking",
        "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1400,1100", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
  }

  /** Saves what the page shows now, for the docs and for a failed test's record. */
  void screenshot(Path file) throws IOException {
    File taken = driver.getScreenshotAs(OutputType.FILE);
    Files.createDirectories(file.getParent());
    Files.copy(taken.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
