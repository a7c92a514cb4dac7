package io.eco2.tests.support;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * A real headless Chromium (Debian's {@code chromium} and {@code chromium-driver} packages, installed by
 * {@code scripts/install-browser.sh} when missing) driven through Selenium, with a fresh profile each time
 * and a phone-sized window. Selenium is pointed at the packaged driver, so it downloads nothing.
 */
public final class Browser implements AutoCloseable {

  /** Flags that work in containers without a GPU, a sandbox or network access beyond loopback. */
  static final List<String> FLAGS = List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--lang=ko-KR", "--window-size=412,1000");

  private final Path profile;
  private final ChromeDriverService service;
  private final WebDriver driver;

  private Browser(Path profile, ChromeDriverService service, WebDriver driver) {
    this.profile = profile;
    this.service = service;
    this.driver = driver;
  }

  public static Browser start() {
    install();
    try {
      Path profile = Files.createTempDirectory("eco2-chromium-");
      ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(which("chromedriver"))).usingAnyFreePort().build();
      ChromeOptions options = new ChromeOptions().setBinary(which("chromium"));
      options.addArguments(FLAGS);
      options.addArguments("--user-data-dir=" + profile);
      return new Browser(profile, service, new ChromeDriver(service, options));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // The project's script, not an ad-hoc install: the same one .ci/run calls.
  private static synchronized void install() {
    if (onPath("chromium") && onPath("chromedriver")) {
      return;
    }
    Path script = Path.of("..", "scripts", "install-browser.sh").toAbsolutePath().normalize();
    try {
      Process p = new ProcessBuilder("bash", script.toString()).inheritIO().start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException(script + " failed with exit code " + p.exitValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static boolean onPath(String name) {
    return which(name) != null;
  }

  private static String which(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
      File f = new File(dir, name);
      if (f.canExecute()) {
        return f.getAbsolutePath();
      }
    }
    return null;
  }

  public WebDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  public WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  public List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** Waits (polling the page) until the condition holds, at most a minute: the machine may be busy. */
  public <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(60)).withMessage(what).until(condition);
  }

  /** The whole page as a PNG (the window grows to the page's height first). */
  public byte[] screenshot() {
    Object height = ((org.openqa.selenium.JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
    org.openqa.selenium.Dimension size = driver.manage().window().getSize();
    driver.manage().window().setSize(new org.openqa.selenium.Dimension(size.getWidth(), ((Number) height).intValue() + 140));
    return ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      service.stop();
      try (var files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException ignored) {
        // a temp dir left behind is harmless
      }
    }
  }
}
