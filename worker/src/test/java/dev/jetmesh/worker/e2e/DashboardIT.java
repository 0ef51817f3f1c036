package dev.jetmesh.worker.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.worker.e2e.E2eMesh.Sandbox;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard (docs/dashboard.md) in a real browser, Debian's chromium driven through its
 * chromedriver ({@code .ci/browser} installs both), against a real mesh: three worker processes
 * with the fake LLM have completed a task, a three-node collaboration session and a two-wave plan.
 * The tests read what a person would see, press the keys a person would press, and watch a task
 * move on the board while the page stays open. The orchestrator wants a token, so every page load
 * goes through the token question and the event stream through {@code ?access_token=}. Screenshots
 * for the docs go to {@code target/screenshots/}; the browser's console must stay free of errors.
 */
class DashboardIT {
  private static final String TOKEN = "dashboard-test-token";
  private static final String CHROMIUM = "/usr/bin/chromium";
  private static final String CHROMEDRIVER = "/usr/bin/chromedriver";
  private static final Duration SHOWN = Duration.ofSeconds(20);
  private static final Path SHOTS = Path.of("target", "screenshots");
  private static final List<String> NODES = List.of("dash-a", "dash-b", "dash-c");

  @TempDir static Path tmp;
  private static E2eMesh mesh;
  private static final List<WorkerProcess> workers = new ArrayList<>();
  private static ChromeDriver browser;
  private static String base;
  private static String sessionId;
  private static String planId;

  @BeforeAll
  static void meshWithWorkDone() throws IOException {
    mesh = E2eMesh.start(Map.of("MESH_SWEEP_SECONDS", "0.2", "MESH_API_TOKEN", TOKEN));
    for (String node : NODES) {
      Sandbox box = E2eMesh.sandbox(tmp.resolve(node));
      Map<String, String> env = mesh.workerEnv(node, box, 1);
      env.put("FAKE_LLM_VOTES", "continue converged");
      env.put("FAKE_LLM_JSON", "1");
      env.put("FAKE_LLM_WRITE", node + ".txt");
      env.put("MESH_COLLAB_CHECK_INTERVAL", "500");
      workers.add(WorkerProcess.start(env, tmp.resolve(node).resolve("log")));
    }
    mesh.submit(
        "dash-collab",
        Map.of(
            "title",
            "Three nodes agree on a greeting",
            "collaboration",
            Map.of(
                "mode", "parallel",
                "min_nodes", 3,
                "max_nodes", 3,
                "max_rounds", 4,
                "convergence", Map.of("type", "unanimous"))));
    awaitCompleted("dash-collab", Duration.ofSeconds(120));
    sessionId = mesh.get("dash-collab").path("collab_session_id").asText();

    mesh.submit(
        "dash-hello",
        Map.of("title", "Say hello", "description", "Write a greeting", "metric", "echo 0.93"));
    awaitCompleted("dash-hello", Duration.ofSeconds(60));

    planId = twoWavePlan();
    oneTaskInEachOtherColumn();
    browser = chromium();
    base = "http://127.0.0.1:" + mesh.httpPort() + "/";
    Files.createDirectories(SHOTS);
    // The tab keeps the token: asked here once, then no more.
    open("#/tasks");
    assertThat(severe()).allSatisfy(m -> assertThat(m).contains("401"));
  }

  /** Wave 1: two drafts; wave 2: one subtask after both. Waits until the plan completed. */
  private static String twoWavePlan() {
    // The parent depends on a task that never exists, so no worker claims it: the plan settles it.
    mesh.submit(
        "dash-plan-parent",
        Map.of("title", "Greet and part", "depends_on", List.of("never-dash-plan-parent")));
    List<Map<String, Object>> subtasks =
        List.of(
            subtask("draft-hello", "Draft the greeting"),
            subtask("draft-bye", "Draft the farewell"),
            subtask("join-both", "Join greeting and farewell", "draft-hello", "draft-bye"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("parent_task_id", "dash-plan-parent");
    body.put("title", "Greet and part in two waves");
    body.put("requires_approval", false);
    body.put("subtasks", subtasks);
    String id = mesh.client().ok("mesh.plans.create", body).path("plan_id").asText();
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () ->
                "completed"
                    .equals(
                        mesh.client()
                            .ok("mesh.plans.get", Map.of("plan_id", id))
                            .path("status")
                            .asText()));
    return id;
  }

  /**
   * A task queued, one running, one released, one failed and one cancelled, so that the board shows
   * every column a person meets.
   */
  private static void oneTaskInEachOtherColumn() {
    // Each waits for a task that never exists: queued for good, until cancelled.
    mesh.submit(
        "dash-waiting",
        Map.of("title", "Waits for a review", "depends_on", List.of("never-dash-waiting")));
    mesh.submit(
        "dash-dropped",
        Map.of("title", "Dropped idea", "depends_on", List.of("never-dash-dropped")));
    mesh.client()
        .request("mesh.tasks.cancel", Map.of("task_id", "dash-dropped", "reason", "not needed"));
    // Its one attempt fails: the worker gives it back (released).
    mesh.submit(
        "dash-giving-up",
        Map.of(
            "title",
            "Gives up after its attempts",
            "llm_provider",
            "shell",
            "description",
            "echo 'tests failed' >&2; exit 3"));
    awaitStatus("dash-giving-up", "released", Duration.ofSeconds(60));
    // Its metric fails and its attempt costs more than its budget: the orchestrator fails it.
    mesh.submit(
        "dash-over-budget",
        Map.of(
            "title",
            "Misses its metric on a small budget",
            "metric",
            "exit 1",
            "budget_usd",
            0.01));
    awaitStatus("dash-over-budget", "failed", Duration.ofSeconds(60));
    // Runs until the workers are stopped: the board shows it running, the nodes view as work.
    mesh.submit(
        "dash-running",
        Map.of("title", "Runs for a while", "llm_provider", "shell", "description", "sleep 600"));
    awaitStatus("dash-running", "running", Duration.ofSeconds(60));
    awaitStatus("dash-dropped", "cancelled", Duration.ofSeconds(10));
  }

  /** A subtask the mesh runs (it has a metric, so routing sends it to one node). */
  private static Map<String, Object> subtask(String id, String title, String... deps) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("subtask_id", id);
    s.put("title", title);
    s.put("description", "Write " + id + ".txt");
    s.put("metric", "echo 1");
    s.put("depends_on", List.of(deps));
    s.put("delegation", Map.of("mode", "auto"));
    return s;
  }

  /**
   * Waits until the task's own events say completed (asked over NATS, so that the wait takes no
   * database connection on the shared server); the page then waits for the read model.
   */
  private static void awaitCompleted(String taskId, Duration max) {
    awaitStatus(taskId, "completed", max);
  }

  /**
   * Waits until the task's own events say {@code status} (asked over NATS, so that the wait takes
   * no database connection on the shared server); the page then waits for the read model.
   */
  private static void awaitStatus(String taskId, String status, Duration max) {
    try {
      await()
          .atMost(max)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(() -> status.equals(mesh.status(taskId)));
    } catch (RuntimeException | AssertionError e) {
      StringBuilder logs = new StringBuilder();
      workers.forEach(w -> logs.append(w.log()).append("\n-----\n"));
      throw new AssertionError(taskId + " did not become " + status + "; logs:\n" + logs, e);
    }
  }

  /** Headless chromium from Debian with its own chromedriver: Selenium downloads nothing. */
  private static ChromeDriver chromium() throws IOException {
    for (String program : List.of(CHROMIUM, CHROMEDRIVER)) {
      if (!Files.isExecutable(Path.of(program))) {
        throw new IllegalStateException(
            program + " is missing: run .ci/browser (Debian's chromium and chromium-driver)");
      }
    }
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM);
    options.addArguments(
        "--headless=new",
        "--no-sandbox", // the tests run as root
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1440,900", // a laptop screen
        "--lang=en-US",
        "--user-data-dir=" + Files.createDirectories(tmp.resolve("chromium")));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(CHROMEDRIVER))
            .usingAnyFreePort()
            .build();
    return new ChromeDriver(service, options);
  }

  @AfterEach
  void consoleStaysClean() {
    assertThat(severe()).as("errors in the browser console").isEmpty();
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
    workers.forEach(WorkerProcess::close);
    if (mesh != null) {
      mesh.close();
    }
  }

  /** The console's errors since the last call (reading the log empties it). */
  private static List<String> severe() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  /** Opens the page at {@code hash}, answering the token question when it comes. */
  private static void open(String hash) {
    browser.get("about:blank"); // a load of its own even when the address is the same
    browser.get(base + hash);
    await()
        .atMost(SHOWN)
        .ignoreExceptions()
        .until(
            () ->
                tokenAsked()
                    || !browser.findElements(By.cssSelector("#main #view-title")).isEmpty());
    if (tokenAsked()) {
      giveToken(TOKEN);
    }
  }

  private static boolean tokenAsked() {
    return browser.findElement(By.id("token-dialog")).getDomAttribute("open") != null;
  }

  private static void giveToken(String token) {
    WebElement input = browser.findElement(By.id("token-input"));
    input.clear();
    input.sendKeys(token, Keys.ENTER);
  }

  /** Waits until the element's text shows every one of {@code texts}; returns that text. */
  private static String awaitText(By where, String... texts) {
    String[] seen = {""};
    try {
      await()
          .atMost(SHOWN)
          .ignoreExceptions()
          .untilAsserted(
              () -> {
                seen[0] = browser.findElement(where).getText();
                assertThat(seen[0]).contains(texts);
              });
    } catch (RuntimeException | AssertionError e) {
      throw new AssertionError(
          where + " did not show " + List.of(texts) + "; it showed:\n" + seen[0], e);
    }
    return seen[0];
  }

  private static By column(String status) {
    return By.cssSelector(".column[data-status='" + status + "']");
  }

  private static void screenshot(String name) throws IOException {
    File shot = browser.getScreenshotAs(OutputType.FILE);
    Files.copy(shot.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static WebElement focused() {
    return browser.switchTo().activeElement();
  }

  @Test
  void board_showsEachTaskInTheColumnOfItsStatus() throws IOException {
    open("#/tasks");
    awaitText(
        column("completed"), "Say hello", "Three nodes agree on a greeting", "Greet and part");
    awaitText(column("completed"), "Draft the greeting", "Join greeting and farewell");
    awaitText(column("queued"), "Waits for a review");
    awaitText(column("running"), "Runs for a while");
    awaitText(column("failed"), "Misses its metric on a small budget");
    awaitText(column("released"), "Gives up after its attempts");
    awaitText(column("cancelled"), "Dropped idea");
    assertThat(browser.findElement(column("queued")).getText()).doesNotContain("Say hello");
    assertThat(browser.findElement(column("completed")).getText())
        .doesNotContain("Runs for a while", "Misses its metric", "Gives up", "Dropped idea");
    assertThat(browser.findElement(By.cssSelector("nav a[aria-current='page']")).getText())
        .isEqualTo("Tasks");
    screenshot("board");
  }

  @Test
  void keyboard_tabReachesATask_enterOpensItsAttempts_escClosesBackToIt() throws IOException {
    open("#/tasks");
    awaitText(column("completed"), "Say hello");
    new Actions(browser).sendKeys(Keys.TAB).perform();
    assertThat(focused().getText()).as("the first Tab stop").isEqualTo("Skip to content");
    for (int i = 0;
        i < 40 && !"tasks:dash-hello".equals(focused().getDomAttribute("data-key"));
        i++) {
      new Actions(browser).sendKeys(Keys.TAB).perform();
    }
    assertThat(focused().getDomAttribute("data-key")).isEqualTo("tasks:dash-hello");
    assertThat(focused().getCssValue("outline-style"))
        .as("the focus is visible")
        .isEqualTo("solid");

    new Actions(browser).sendKeys(Keys.ENTER).perform();
    awaitText(By.id("detail-title"), "Say hello");
    String attempts = awaitText(By.cssSelector("#detail table.attempts"), "Attempts");
    WebElement row = browser.findElement(By.cssSelector("#detail table.attempts tbody tr"));
    assertThat(row.getText())
        .contains("claude")
        .contains("kept")
        .contains("0.93")
        .contains("10 in / 20 out")
        .contains("$0.0125")
        .containsAnyOf(NODES.toArray(String[]::new));
    assertThat(attempts).contains("Exit", "Duration", "Metric score", "Tokens", "Cost");
    assertThat(browser.getCurrentUrl()).endsWith("#/tasks/dash-hello");
    screenshot("task");

    new Actions(browser).sendKeys(Keys.ESCAPE).perform();
    await()
        .atMost(SHOWN)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              assertThat(browser.findElement(By.id("detail")).getDomAttribute("open")).isNull();
              assertThat(focused().getDomAttribute("data-key")).isEqualTo("tasks:dash-hello");
            });
    assertThat(browser.getCurrentUrl()).endsWith("#/tasks");
  }

  /** The transcript the worker kept, fetched with the tab's token when its summary is opened. */
  @Test
  void anAttemptsTranscript_opensInTheTaskDetail() {
    open("#/tasks/dash-hello");
    awaitText(By.cssSelector("#detail table.attempts"), "Transcript of attempt 1");
    browser.findElement(By.cssSelector("#detail details.transcript summary")).click();
    String transcript =
        awaitText(
            By.cssSelector("#detail details.transcript pre"),
            "jetmesh attempt transcript",
            "task: dash-hello",
            "===== prompt =====");
    assertThat(transcript).doesNotContain("Could not load");
    assertThat(severe()).noneMatch(m -> m.contains("/output"));
  }

  @Test
  void collabSession_showsItsRoundsReflectionsVotesAndDecision() throws IOException {
    open("#/collab");
    awaitText(By.id("main"), sessionId, "dash-collab", "completed");
    open("#/collab/" + sessionId);
    String timeline =
        awaitText(
            By.cssSelector("#detail .timeline"), "Round 1", "Round 2", "continue 3", "converged 3");
    for (String node : NODES) {
      assertThat(timeline).contains(node);
    }
    assertThat(browser.findElements(By.cssSelector("#detail .timeline > li"))).hasSize(2);
    assertThat(browser.findElements(By.cssSelector("#detail table.reflections tbody tr")))
        .hasSize(6);
    awaitText(By.cssSelector("#detail .decision"), "Converged after 2 rounds with 3 nodes");
    screenshot("collab");
  }

  @Test
  void plan_showsTwoWaves_withEachSubtaskAndItsState() throws IOException {
    open("#/plans");
    awaitText(By.id("main"), planId, "Greet and part in two waves", "3 of 3 done");
    open("#/plans/" + planId);
    awaitText(By.cssSelector("#detail"), "Subtasks by wave", "3 of 3 done");
    List<WebElement> waves = browser.findElements(By.cssSelector("#detail .waves > li"));
    assertThat(waves).hasSize(2);
    assertThat(waves.get(0).getText())
        .startsWith("Wave 1")
        .contains("Draft the greeting", "Draft the farewell", "completed")
        .doesNotContain("Join greeting and farewell");
    assertThat(waves.get(1).getText())
        .startsWith("Wave 2")
        .contains("Join greeting and farewell", "after draft-hello, draft-bye", "completed");
    screenshot("plan");
  }

  @Test
  void nodes_listEveryWorker_withItsHealthAndCurrentWork() throws IOException {
    open("#/nodes");
    String owner = mesh.get("dash-running").path("owner").asText();
    assertThat(NODES).contains(owner);
    awaitText(By.id("main"), NODES.toArray(String[]::new));
    // A node's health comes with its beats, which may arrive after the page first drew the node:
    // the row fills in live.
    await()
        .atMost(SHOWN)
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              List<WebElement> rows =
                  browser.findElements(By.cssSelector("#main table.nodes tbody tr"));
              assertThat(rows).hasSize(3);
              for (WebElement row : rows) {
                String text = row.getText();
                assertThat(text).contains("joined", "claude", "cores");
                if (text.startsWith(owner)) {
                  assertThat(text).contains("Runs for a while").doesNotContain("idle");
                } else {
                  assertThat(text).endsWith("idle");
                }
              }
            });
    screenshot("nodes");
  }

  @Test
  void liveUpdate_aTaskAppearsQueued_thenMovesToCompleted_withoutAReload() {
    open("#/tasks");
    awaitText(column("completed"), "Say hello");
    awaitText(By.id("live"), "Live");
    browser.executeScript("window.stillTheSamePage = true");

    // It waits for a task that does not exist yet, so it stays queued until that one is done.
    mesh.submit(
        "dash-live",
        Map.of("title", "Arrives while you watch", "depends_on", List.of("dash-live-gate")));
    awaitText(column("queued"), "Arrives while you watch");
    mesh.submit("dash-live-gate", Map.of("title", "Opens the gate"));
    awaitText(column("completed"), "Arrives while you watch", "Opens the gate");
    assertThat(browser.findElement(column("queued")).getText())
        .doesNotContain("Arrives while you watch");
    assertThat(browser.executeScript("return window.stillTheSamePage === true")).isEqualTo(true);
  }

  @Test
  void token_isAskedOnce_aWrongOneIsRefused_andTheTabKeepsIt() {
    browser.get(base);
    browser.executeScript("sessionStorage.clear()");
    browser.navigate().refresh();
    await().atMost(SHOWN).ignoreExceptions().until(DashboardIT::tokenAsked);
    giveToken("not-the-token");
    await()
        .atMost(SHOWN)
        .ignoreExceptions()
        .until(() -> tokenAsked() && browser.findElement(By.id("token-refused")).isDisplayed());
    giveToken(TOKEN);
    awaitText(column("completed"), "Say hello");
    awaitText(By.id("live"), "Live");
    assertThat(browser.executeScript("return sessionStorage.getItem('jetmesh.token')"))
        .isEqualTo(TOKEN);

    browser.get(base + "#/nodes");
    awaitText(By.id("main"), "dash-a");
    assertThat(tokenAsked()).as("asked again in the same tab").isFalse();
    // The refused requests are the only errors the console shows.
    assertThat(severe()).isNotEmpty().allSatisfy(m -> assertThat(m).contains("401"));
  }
}
