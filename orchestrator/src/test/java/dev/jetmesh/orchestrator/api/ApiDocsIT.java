package dev.jetmesh.orchestrator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The API's documents against the running server: {@code /openapi.json} names exactly the routes
 * the server registers (both ways), its response schemas name exactly the fields of real responses
 * (top level, list items and nested objects it describes), {@code docs/api.md} names exactly the
 * routes of {@code /openapi.json}, and every {@code curl} command of {@code docs/api.md} runs (with
 * real {@code curl}) and answers what the page shows. Data from {@link ApiData}.
 */
class ApiDocsIT {
  static final Path API_MD = Path.of("../docs/api.md");
  static final String TOKEN = "apidocsit-token-0123456789abcdef";
  static ApiData data;
  static Http http;
  static JsonNode openapi;
  static Orchestrator withToken;

  @BeforeAll
  static void up() {
    data = ApiData.start(Map.of());
    http = data.http;
    openapi = http.json("/openapi.json");
    Map<String, String> env = new HashMap<>(data.mesh.env());
    env.put("MESH_API_TOKEN", TOKEN);
    withToken = Orchestrator.start(OrchestratorConfig.from(env));
  }

  @AfterAll
  static void down() {
    withToken.close();
    data.close();
  }

  @Test
  void openApi_namesExactlyTheRoutesTheServerRegisters() {
    Set<String> registered = new TreeSet<>();
    data.mesh.orchestrator().httpRoutes().forEach(r -> registered.add(r.method() + " " + r.path()));
    assertThat(registered).as("routes registered").hasSizeGreaterThan(10);
    assertThat(documented()).isEqualTo(registered);
    assertThat(openapi.path("openapi").asText()).isEqualTo("3.1.0");
  }

  @Test
  void everyDocumentedResponse_namesExactlyTheFieldsOfARealOne() throws Exception {
    Map<String, String> ids =
        Map.of(
            "{task_id}",
            "api-done",
            "{session_id}",
            data.sessionId,
            "{plan_id}",
            data.planId,
            "{node_id}",
            "node-b",
            "{attempt}",
            "2");
    int checked = 0;
    for (Map.Entry<String, JsonNode> p : openapi.path("paths").properties()) {
      String path = p.getKey();
      for (Map.Entry<String, String> id : ids.entrySet()) {
        path = path.replace(id.getKey(), id.getValue());
      }
      JsonNode content = p.getValue().path("get").path("responses").path("200").path("content");
      if (content.has("text/event-stream")) {
        try (SseReader s = SseReader.open(http.base() + path + "?since=0")) {
          JsonNode event = s.next(Duration.ofSeconds(20)).data();
          assertShape(path, event, content.path("text/event-stream").path("schema"));
        }
      } else if (content.has("application/json") && !path.equals("/openapi.json")) {
        assertShape(path, http.json(path), content.path("application/json").path("schema"));
      } else {
        HttpResponse<String> r = http.get(path);
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        assertThat(content.has(r.headers().firstValue("content-type").orElse("").split(";")[0]))
            .as(path + " answers a documented content type")
            .isTrue();
      }
      checked++;
    }
    assertThat(checked).isEqualTo(documented().size());
  }

  @Test
  void apiMd_namesExactlyTheRoutesOfTheOpenApiDocument() throws Exception {
    Matcher m =
        Pattern.compile("\\b(GET|POST|PUT|PATCH|DELETE) (/[A-Za-z0-9_{}./-]*)")
            .matcher(Files.readString(API_MD));
    Set<String> named = new TreeSet<>();
    while (m.find()) {
      named.add(m.group(1) + " " + m.group(2));
    }
    assertThat(named).isEqualTo(documented());
  }

  @Test
  void everyCurlCommandOfApiMd_runs_andAnswersWhatThePageShows() throws Exception {
    List<DocBlock> blocks = DocBlock.read(Files.readString(API_MD));
    Map<String, String> vars =
        Map.of(
            "TASK_ID",
            "api-done",
            "SESSION_ID",
            data.sessionId,
            "PLAN_ID",
            data.planId,
            "NODE_ID",
            "node-b",
            "MESH_API_TOKEN",
            TOKEN);
    int ran = 0;
    String lastOutput = null;
    for (DocBlock b : blocks) {
      if (b.kind().equals("json")) {
        assertThat(lastOutput).as("a json example follows a command").isNotNull();
        assertSameFields(b.text(), Http.parse(b.text()), Http.parse(lastOutput));
        continue;
      }
      List<String> argv = Shell.words(b.text(), vars);
      assertThat(argv.get(0)).isEqualTo("curl");
      boolean token = b.text().contains("$MESH_API_TOKEN");
      int port = token ? withToken.httpPort() : data.mesh.orchestrator().httpPort();
      argv.replaceAll(a -> a.replace("http://127.0.0.1:8080", "http://127.0.0.1:" + port));
      lastOutput = run(b.text(), argv);
      ran++;
    }
    assertThat(ran).as("curl commands in api.md").isGreaterThan(15);
  }

  /** Runs one command; a streaming one until its first event. Returns its output. */
  static String run(String shown, List<String> argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    if (argv.stream().anyMatch(a -> a.startsWith("-") && !a.startsWith("--") && a.contains("N"))) {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null && !line.startsWith("data: ")) {
          // comments and the id and event lines before the first event's data
        }
        assertThat(line).as(shown + " streams an event").isNotNull();
        JsonNode event = Http.parse(line.substring("data: ".length()));
        assertThat(event.has("seq")).as(shown).isTrue();
        return line.substring("data: ".length());
      } finally {
        p.destroy();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).as(shown + " ends").isTrue();
    assertThat(p.exitValue()).as(shown + " -> " + out).isZero();
    if (shown.contains("/output")) {
      assertThat(out).as(shown).isEqualTo(ApiData.TRANSCRIPT);
    } else if (!shown.contains("format=text")) {
      Http.parse(out);
    } else {
      assertThat(out).as(shown).startsWith("session ");
    }
    return out;
  }

  /** The example's fields are the real answer's: at the top, and in the first list item. */
  static void assertSameFields(String what, JsonNode example, JsonNode real) {
    assertThat(names(example)).as(what).isEqualTo(names(real));
    if (example.path("items").size() > 0) {
      assertThat(real.path("items").size()).as(what + ": real items").isPositive();
      assertThat(names(example.path("items").get(0)))
          .as(what + ": items")
          .isEqualTo(names(real.path("items").get(0)));
    }
  }

  /**
   * {@code real} has only properties {@code schema} names, and every one it requires (all, but for
   * a few optional ones such as {@code halt_reason}); recursively where the schema describes more.
   */
  static void assertShape(String where, JsonNode real, JsonNode schema) {
    JsonNode s = resolve(schema);
    if (s.has("properties") && real.isObject()) {
      assertThat(names(s.path("properties"))).as(where + ": documented").containsAll(names(real));
      Set<String> required = new TreeSet<>();
      s.path("required").forEach(r -> required.add(r.asText()));
      assertThat(names(real)).as(where + ": required").containsAll(required);
      for (Map.Entry<String, JsonNode> f : s.path("properties").properties()) {
        assertShape(where + "." + f.getKey(), real.path(f.getKey()), f.getValue());
      }
    } else if (s.has("items") && real.isArray() && real.size() > 0) {
      assertShape(where + "[0]", real.get(0), s.path("items"));
    } else if (where.endsWith(".items") && resolve(s.path("items")).has("properties")) {
      throw new AssertionError(where + ": an empty list cannot show its item's fields");
    }
  }

  static JsonNode resolve(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    return ref.isEmpty()
        ? schema
        : openapi.path("components").path("schemas").path(ref.substring(ref.lastIndexOf('/') + 1));
  }

  static Set<String> names(JsonNode o) {
    Set<String> out = new TreeSet<>();
    o.fieldNames().forEachRemaining(out::add);
    return out;
  }

  /** {@code GET /path} for every path and method of the OpenAPI document. */
  static Set<String> documented() {
    Set<String> out = new TreeSet<>();
    openapi
        .path("paths")
        .properties()
        .forEach(
            p ->
                p.getValue()
                    .fieldNames()
                    .forEachRemaining(
                        m -> out.add(m.toUpperCase(java.util.Locale.ROOT) + " " + p.getKey())));
    return out;
  }

  /** A command ({@code sh} block line or inline {@code `curl ...`}) or a {@code json} example. */
  record DocBlock(String kind, String text) {
    static List<DocBlock> read(String md) {
      List<DocBlock> out = new ArrayList<>();
      String fence = null;
      StringBuilder json = new StringBuilder();
      for (String line : md.split("\n", -1)) {
        if (fence == null && line.startsWith("```")) {
          fence = line.substring(3).strip();
          json.setLength(0);
        } else if (fence != null && line.startsWith("```")) {
          if (fence.equals("json")) {
            out.add(new DocBlock("json", json.toString()));
          }
          fence = null;
        } else if (fence != null) {
          if (fence.equals("sh") && line.startsWith("curl ")) {
            out.add(new DocBlock("sh", line.strip()));
          } else if (fence.equals("json")) {
            json.append(line).append('\n');
          }
        } else {
          Matcher m = Pattern.compile("`(curl [^`]+)`").matcher(line);
          while (m.find()) {
            out.add(new DocBlock("sh", m.group(1)));
          }
        }
      }
      return out;
    }
  }
}
