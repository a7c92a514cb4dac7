package io.eco2.tests.ui;

import io.eco2.tests.support.Browser;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The demo page as a test sees it: its form, its four stage cards, its event log and its result. */
final class DemoPage {

  static final List<String> STAGES = List.of("vision", "rule", "answer", "reward");

  private final Browser browser;

  DemoPage(Browser browser) {
    this.browser = browser;
  }

  DemoPage open(String url) {
    browser.open(url);
    browser.await("the form", d -> browser.find("#submit").isDisplayed());
    return this;
  }

  DemoPage token(String token) {
    browser.find("#auth-box summary").click();
    browser.find("#token").sendKeys(token);
    return this;
  }

  DemoPage submitSample(String sample) {
    browser.find("label:has(input[value=" + sample + "])").click();
    browser.find("#submit").click();
    return this;
  }

  String stageStatus(String stage) {
    return browser.find(".stage[data-stage=" + stage + "]").getAttribute("data-status");
  }

  String found(String stage) {
    return browser.find(".stage[data-stage=" + stage + "] .found").getText();
  }

  String connection() {
    return browser.find("#connection").getAttribute("data-state");
  }

  String formError() {
    WebElement e = browser.find("#form-error");
    return e.isDisplayed() ? e.getText() : "";
  }

  String resultStatus() {
    List<WebElement> s = browser.findAll("#result-status");
    return s.isEmpty() ? null : s.get(0).getAttribute("data-status");
  }

  /** The event log's entries ({@code stage:status}) as the browser received them, in order. */
  List<String> received() {
    return (List<String>) browser.findAll("#timeline li").stream().map(li -> li.getAttribute("data-key")).toList();
  }

  /** How often each {@code stage:status} was received: every value must be 1. */
  Map<String, Long> receivedCounts() {
    return received().stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
  }

  void awaitResult() {
    browser.await("the result to be shown", d -> resultStatus() != null);
  }

  void awaitStage(String stage, String status) {
    browser.await(stage + " to be " + status, d -> status.equals(stageStatus(stage)));
  }
}
