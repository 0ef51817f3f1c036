package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.orchestrator.testing.TestMesh;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files as a real orchestrator serves them, with an API token set: the page at
 * {@code /} and its scripts and styles under {@code /dashboard/} without the token (the page asks
 * for it), nothing else of the class path, and every other route as before (the API still wants the
 * token).
 */
class DashboardFilesIT {
  private static final String TOKEN = "dashboard-files-it-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static TestMesh mesh;

  @BeforeAll
  static void start() {
    mesh = TestMesh.start(Map.of("MESH_API_TOKEN", TOKEN));
  }

  @AfterAll
  static void stop() {
    mesh.close();
  }

  /** GET without a token. */
  private static HttpResponse<String> get(String path) throws Exception {
    return send(path, null);
  }

  private static HttpResponse<String> send(String path, String token) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + mesh.orchestrator().httpPort() + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
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
  void nothingElseOfTheClassPath_isReachable_withOrWithoutTheToken() throws Exception {
    for (String path :
        List.of(
            "/dashboard/nothere.js",
            "/dashboard/index.html",
            "/dashboard/..%2Flogback.xml",
            "/dashboard/%2e%2e%2flogback.xml",
            "/dashboard/logback.xml",
            "/dashboard/App.js")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(401);
      HttpResponse<String> r = send(path, TOKEN);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(r.body()).as(path).doesNotContain("<configuration");
      assertThat(type(r)).as(path).isEqualTo("application/problem+json");
    }
  }

  @Test
  void theOtherRoutes_areNotShadowed_andStillWantTheToken() throws Exception {
    assertThat(get("/health").body()).contains("\"ok\":true");
    for (String path : List.of("/api/tasks", "/ready", "/metrics", "/openapi.json")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(401);
      HttpResponse<String> r = send(path, TOKEN);
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.body()).as(path).doesNotContain("<main");
    }
    assertThat(send("/api/tasks", TOKEN).body()).contains("\"items\"");
    assertThat(send("/openapi.json", TOKEN).body()).contains("\"openapi\"");
    assertThat(type(send("/metrics", TOKEN))).startsWith("text/plain");
    assertThat(send("/api/nothing", TOKEN).statusCode()).isEqualTo(404);
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
}
