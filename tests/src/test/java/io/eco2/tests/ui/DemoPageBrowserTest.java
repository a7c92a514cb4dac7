package io.eco2.tests.ui;

import io.eco2.tests.support.Browser;
import io.eco2.tests.support.EmbeddedEngine;
import io.eco2.tests.support.EmbeddedEngineExtension;
import io.eco2.tests.support.EmbeddedEngines;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo page at {@code /} in a real headless Chromium: a person picks a sample photo, submits, and sees
 * the four stages light up from the page's own EventSource, then the result; a page on a second origin
 * calls the API through CORS with a token from its token field.
 */
@ExtendWith(EmbeddedEngineExtension.class)
class DemoPageBrowserTest {

  /** Where the README's screenshot comes from (copied to docs/ by hand when the page changes). */
  static final Path SCREENSHOT = Path.of("target", "ui-screenshot.png");

  // One browser for the class (starting Chromium is the slow part); each test opens its page afresh.
  private static Browser browser;

  @BeforeAll
  static void start() {
    browser = Browser.start();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
  }

  @BeforeEach
  void forgetTheLastTab() {
    browser.open("about:blank");
    browser.driver().manage().window().setSize(new org.openqa.selenium.Dimension(412, 1000));
  }

  // The Eco² stages with a fast simulated LLM: a run takes a second or two, not twenty.
  private static JsonObject fast() {
    return new JsonObject().put("llm", new JsonObject().put("simulated", new JsonObject().put("latency-scale", 0.05)));
  }

  private static String origin(EmbeddedEngine engine) {
    return "http://127.0.0.1:" + engine.port();
  }

  @Test
  void aSubmittedSampleShowsFourStagesAndTheResult(EmbeddedEngines engines) throws Exception {
    try (EmbeddedEngine engine = engines.start(fast())) {
      DemoPage page = new DemoPage(browser).open(origin(engine) + "/");
      page.submitSample("can");
      page.awaitResult();

      assertThat(page.resultStatus()).isEqualTo("completed");
      for (String stage : DemoPage.STAGES) {
        assertThat(page.stageStatus(stage)).as(stage).isEqualTo("completed");
        assertThat(page.found(stage)).as("what %s found", stage).isNotBlank();
      }
      assertThat(page.found("vision")).contains("금속캔");
      assertThat(page.received()).startsWith("queued:completed").endsWith("done:completed");
      assertThat(page.receivedCounts()).allSatisfy((key, n) -> assertThat(n).as(key).isEqualTo(1L));
      assertThat(page.connection()).isEqualTo("ended");
      Files.write(SCREENSHOT, browser.screenshot());
    }
  }

  @Test
  void aPageOnASecondOriginCallsTheApiThroughCorsWithItsToken(EmbeddedEngines engines) {
    try (EmbeddedEngine pages = engines.start(fast());
         EmbeddedEngine api = engines.start(fast()
           .put("http", new JsonObject().put("api-keys", new JsonArray().add("browser-key"))
             .put("cors", new JsonObject().put("allowed-origins", new JsonArray().add(origin(pages))))))) {
      DemoPage page = new DemoPage(browser).open(origin(pages) + "/?api=" + origin(api));
      page.token("browser-key").submitSample("bottle");
      page.awaitResult();
      assertThat(page.resultStatus()).isEqualTo("completed");
      assertThat(page.receivedCounts()).containsKeys("vision:completed", "reward:completed", "done:completed");
      assertThat(browser.driver().getPageSource()).doesNotContain("browser-key");
    }
  }

  @Test
  void aPageOnAnOriginTheApiDoesNotListCannotCallIt(EmbeddedEngines engines) {
    try (EmbeddedEngine pages = engines.start(fast());
         EmbeddedEngine api = engines.start(fast()
           .put("http", new JsonObject().put("cors", new JsonObject().put("allowed-origins",
             new JsonArray().add("https://someone-else.example")))))) {
      DemoPage page = new DemoPage(browser).open(origin(pages) + "/?api=" + origin(api));
      page.submitSample("bottle");
      browser.await("the page to report the refusal", d -> !page.formError().isEmpty());
      assertThat(page.formError()).contains("cannot reach the API");
      assertThat(page.resultStatus()).isNull();
    }
  }

  @Test
  void withoutATokenThePageAsksForOne(EmbeddedEngines engines) {
    try (EmbeddedEngine engine = engines.start(fast()
      .put("http", new JsonObject().put("api-keys", new JsonArray().add("k"))))) {
      DemoPage page = new DemoPage(browser).open(origin(engine) + "/");
      page.submitSample("box");
      browser.await("the 401 to be shown", d -> page.formError().contains("UNAUTHORIZED"));
      assertThat(browser.find("#auth-box").getAttribute("open")).isNotNull();
    }
  }
}
