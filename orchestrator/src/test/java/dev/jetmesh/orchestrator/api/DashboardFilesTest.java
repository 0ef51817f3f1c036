package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.EventCatalog;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files as the HTTP API serves them: the page at {@code /}, its scripts and styles
 * under {@code /dashboard/}, nothing else of the class path, and the other routes untouched.
 */
class DashboardFilesTest {
  private static HttpApi api;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    api =
        new HttpApi(
            () -> Map.of("ok", true),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
            List.of());
    api.start(0);
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The Content-Type without blanks (Jetty writes {@code text/html;charset=utf-8}). */
  private static String type(HttpResponse<String> r) {
    return r.headers().firstValue("Content-Type").orElse("").replace(" ", "");
  }

  @Test
  void root_isThePage_withAPolicyThatAllowsOnlyThisOrigin() throws Exception {
    HttpResponse<String> r = get("/");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(type(r)).isEqualTo("text/html;charset=utf-8");
    assertThat(r.body()).contains("<main id=\"main\"").contains("/dashboard/app.js");
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            p -> assertThat(p).contains("script-src 'self'").contains("connect-src 'self'"));
  }

  @Test
  void scriptsAndStyles_areServedWithTheirTypes() throws Exception {
    assertThat(type(get("/dashboard/app.js"))).isEqualTo("text/javascript;charset=utf-8");
    assertThat(type(get("/dashboard/style.css"))).isEqualTo("text/css;charset=utf-8");
    assertThat(type(get("/dashboard/icon.svg"))).isEqualTo("image/svg+xml");
    assertThat(get("/dashboard/app.js").body()).contains("import");
  }

  @Test
  void nothingElseOfTheClassPath_isReachable() throws Exception {
    for (String path :
        List.of(
            "/dashboard/nothere.js",
            "/dashboard/index.html",
            "/dashboard/..%2Flogback.xml",
            "/dashboard/%2e%2e%2flogback.xml",
            "/dashboard/logback.xml",
            "/dashboard/App.js")) {
      HttpResponse<String> r = get(path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).doesNotContain("<configuration");
    }
    assertThat(type(get("/dashboard/nothere.js"))).isEqualTo("application/problem+json");
  }

  @Test
  void theOtherRoutes_areNotShadowed() throws Exception {
    assertThat(get("/health").body()).contains("\"ok\":true");
    assertThat(get("/metrics").headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(get("/api/nothing").statusCode()).isEqualTo(404);
    assertThat(get("/api/nothing").body()).doesNotContain("<main");
  }

  /** A file left out of the list would be a 404 in the browser; one listed but missing, too. */
  @Test
  void everyFileOfTheDashboard_isListed_andEveryListedFileIsServed() throws Exception {
    Set<String> onDisk = new TreeSet<>();
    try (var files =
        java.nio.file.Files.list(java.nio.file.Path.of("src/main/resources/dashboard"))) {
      files.map(f -> f.getFileName().toString()).forEach(onDisk::add);
    }
    onDisk.remove("index.html");
    assertThat(onDisk).isEqualTo(new TreeSet<>(DashboardFiles.FILES));
    for (String path : DashboardFiles.PATHS) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  /** EventSource hands a named event only to a listener of that name: every type must be listed. */
  @Test
  void theLiveStream_listensToEveryEventType() throws IOException {
    String live;
    try (InputStream in = DashboardFiles.class.getResourceAsStream("/dashboard/live.js")) {
      assertThat(in).isNotNull();
      live = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher list = Pattern.compile("EVENT_TYPES = \\[(.*?)]", Pattern.DOTALL).matcher(live);
    assertThat(list.find()).isTrue();
    Set<String> listed = new TreeSet<>();
    Matcher name = Pattern.compile("'([a-z_]+\\.[a-z_]+)'").matcher(list.group(1));
    while (name.find()) {
      listed.add(name.group(1));
    }
    assertThat(listed).isEqualTo(new TreeSet<>(EventCatalog.all().keySet()));
  }
}
