package dev.jetmesh.worker.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.wire.NodeRequests;
import dev.jetmesh.worker.NodeIds;
import dev.jetmesh.worker.ProviderCheck;
import dev.jetmesh.worker.WorkerConfig;
import dev.jetmesh.worker.node.HealthBeat;
import dev.jetmesh.worker.node.Machine;
import dev.jetmesh.worker.provider.CustomProviders;
import dev.jetmesh.worker.provider.FlagProvider;
import dev.jetmesh.worker.provider.Invocation;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.provider.RunRequest;
import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.Recorded;
import dev.jetmesh.worker.testing.GitRepos;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps {@code docs/worker.md} true. The custom-providers example is loaded with the real loader
 * and must build the argument vectors the page shows; the fields table must state the loader's
 * defaults; the environment table must list exactly the {@code MESH_*} variables that {@code
 * WorkerConfig} reads, each with the default a configuration loaded from a minimal environment has;
 * the built-in providers table must match the invocations the providers build; the {@code --help}
 * text and the bad-configuration example are run as real processes.
 */
class WorkerDocTest {
  private static final Path DOC = Path.of("../docs/worker.md");
  private static final Path CONFIG_SOURCE =
      Path.of("src/main/java/dev/jetmesh/worker/WorkerConfig.java");
  private static final Pattern CODE = Pattern.compile("`([^`]*)`");
  private static final Pattern MESH_LITERAL = Pattern.compile("\"(MESH_[A-Z0-9_]+)\"");
  private static final Pattern ENV_ROW =
      Pattern.compile("(?m)^\\| `(MESH_[A-Z0-9_]+)` \\| (.*?) \\| (.*) \\|$");
  private static final String PROMPT = "<prompt>";

  /** How the page starts the worker: on a Java 21+, which the machine's default may not be. */
  static final String WORKER_JAR_COMMAND =
      "\"$(.ci/jdk)/bin/java\" -jar worker/target/jetmesh-worker.jar";

  private static final Path WORKTREE = Path.of("<worktree>");

  @TempDir Path tmp;

  private static String doc() throws IOException {
    return Files.readString(DOC, StandardCharsets.UTF_8);
  }

  /** The bodies of the fenced {@code lang} blocks right after {@code <!-- example: name -->}. */
  static List<String> examples(String doc, String name, String lang) {
    Matcher m =
        Pattern.compile(
                "<!-- example: " + Pattern.quote(name) + " -->\\n```" + lang + "\\n(.*?)```",
                Pattern.DOTALL)
            .matcher(doc);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static String example(String doc, String name, String lang) {
    List<String> all = examples(doc, name, lang);
    assertThat(all).as("```%s example marked <!-- example: %s -->", lang, name).hasSize(1);
    return all.get(0);
  }

  /** From the line {@code heading} to the next heading of the same or a higher level. */
  static String section(String doc, String heading) {
    int start = doc.indexOf("\n" + heading + "\n");
    assertThat(start).as("heading %s", heading).isNotNegative();
    String level = heading.substring(0, heading.indexOf(' ') + 1);
    Matcher next = Pattern.compile("(?m)^#{1," + (level.length() - 1) + "} ").matcher(doc);
    int end = next.find(start + heading.length() + 1) ? next.start() : doc.length();
    return doc.substring(start, end);
  }

  private static List<String> codeSpans(String cell) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE.matcher(cell);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  /** The cells of the table rows of {@code text} whose first cell is a code span. */
  private static Map<String, List<String>> rows(String text) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      if (!line.startsWith("| `")) {
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String c : line.substring(1, line.length() - 1).split(" \\| ", -1)) {
        cells.add(c.strip());
      }
      out.put(codeSpans(cells.get(0)).get(0), cells);
    }
    return out;
  }

  // ---- (a) custom providers ---------------------------------------------------------------

  @Test
  void providersFileExample_loadsWithTheRealLoader_andBuildsTheDocumentedArgumentVectors()
      throws IOException {
    String doc = doc();
    String json = example(doc, "providers-file", "json");
    Map<String, Provider> loaded =
        CustomProviders.parse(json, "docs/worker.md", ProviderRegistry.BUILT_IN_NAMES);
    JsonNode tree = Json.mapper().readTree(json);

    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : example(doc, "providers-argv", "text").strip().lines().toList()) {
      int colon = line.indexOf(": ");
      documented.put(line.substring(0, colon), line.substring(colon + 2));
    }
    assertThat(loaded.keySet()).containsExactlyElementsOf(documented.keySet());

    for (Map.Entry<String, Provider> e : loaded.entrySet()) {
      FlagProvider p = (FlagProvider) e.getValue();
      JsonNode spec = tree.get(e.getKey());
      Invocation inv = p.invocation(new RunRequest(PROMPT, null, WORKTREE, ""));
      assertThat(String.join(" ", inv.argv())).as(e.getKey()).isEqualTo(documented.get(e.getKey()));
      assertThat(inv.cwd()).isEqualTo(WORKTREE);
      assertThat(p.binary()).isEqualTo(spec.get("binary").asText());
      assertThat(inv.envStrip()).containsExactlyElementsOf(strings(spec.get("envStrip")));
      assertThat(p.extraArgs()).containsExactlyElementsOf(strings(spec.get("extraArgs")));
      assertThat(p.defaultModel())
          .isEqualTo(spec.has("defaultModel") ? spec.get("defaultModel").asText() : null);
    }
    // The text after the example: a task's model replaces the (absent) default of "llm".
    assertThat(
            String.join(
                " ",
                loaded
                    .get("llm")
                    .invocation(new RunRequest(PROMPT, "gpt-4o-mini", WORKTREE, ""))
                    .argv()))
        .isEqualTo("llm <prompt> -m gpt-4o-mini");
    assertThat(section(doc, "### Custom providers")).contains("runs `llm <prompt> -m gpt-4o-mini`");
  }

  @Test
  void providersFieldsTable_namesEveryField_withTheLoadersDefaults() throws IOException {
    Map<String, List<String>> fields = rows(section(doc(), "### Custom providers"));
    assertThat(fields.keySet())
        .containsExactlyInAnyOrder(
            "binary",
            "defaultModel",
            "promptFlag",
            "modelFlag",
            "cwdFlag",
            "extraArgs",
            "envStrip");
    // Every documented field is accepted; anything else is refused.
    for (String field : fields.keySet()) {
      String value = field.equals("extraArgs") || field.equals("envStrip") ? "[\"v\"]" : "\"v\"";
      String json = "{\"x\": {\"binary\": \"b\", \"" + field + "\": " + value + "}}";
      assertThat(CustomProviders.parse(json, "t", Set.of())).containsKey("x");
    }
    assertThatThrownBy(
            () ->
                CustomProviders.parse("{\"x\": {\"binary\": \"b\", \"bogus\": 1}}", "t", Set.of()))
        .isInstanceOf(ProviderException.class);
    assertThat(fields.get("binary").get(1)).isEqualTo("required");
    assertThatThrownBy(() -> CustomProviders.parse("{\"x\": {}}", "t", Set.of()))
        .hasMessageContaining("needs a \"binary\"");

    FlagProvider bare =
        (FlagProvider)
            CustomProviders.parse("{\"x\": {\"binary\": \"b\"}}", "t", Set.of()).get("x");
    Map<String, Object> actual = new HashMap<>();
    actual.put("defaultModel", bare.defaultModel());
    actual.put("promptFlag", bare.promptFlag());
    actual.put("modelFlag", bare.modelFlag());
    actual.put("cwdFlag", bare.cwdFlag());
    actual.put("extraArgs", bare.extraArgs());
    actual.put("envStrip", bare.envStrip());
    for (Map.Entry<String, Object> e : actual.entrySet()) {
      String cell = fields.get(e.getKey()).get(1);
      assertThat(documentedDefault(cell))
          .as("default of %s: %s", e.getKey(), cell)
          .isEqualTo(e.getValue());
    }
  }

  /** {@code none} is null, {@code `[]`} an empty list, {@code `""`} empty, else the code span. */
  private static Object documentedDefault(String cell) {
    if (cell.startsWith("none")) {
      return null;
    }
    String code = codeSpans(cell).get(0);
    return switch (code) {
      case "[]" -> List.of();
      case "\"\"" -> "";
      default -> code;
    };
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(n -> out.add(n.asText()));
    }
    return out;
  }

  // ---- (b) environment table ---------------------------------------------------------------

  @Test
  void environmentTable_listsEveryVariableWorkerConfigReads_withItsDefault() throws IOException {
    checkEnvironmentTable(doc(), tmp.resolve("home"));
  }

  @Test
  void environmentCheck_failsForAMissingVariable_orAWrongDefault() throws IOException {
    String doc = doc();
    String missing = doc.replaceAll("(?m)^\\| `MESH_HEARTBEAT_INTERVAL` \\|.*\\n", "");
    assertThat(missing).isNotEqualTo(doc);
    assertThatThrownBy(() -> checkEnvironmentTable(missing, tmp.resolve("h1")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("MESH_HEARTBEAT_INTERVAL");
    String wrong = doc.replace("| `MESH_MAX_ATTEMPTS` | `3` |", "| `MESH_MAX_ATTEMPTS` | `5` |");
    assertThat(wrong).isNotEqualTo(doc);
    assertThatThrownBy(() -> checkEnvironmentTable(wrong, tmp.resolve("h2")))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("MESH_MAX_ATTEMPTS");
  }

  /**
   * Every {@code "MESH_..."} literal of {@code WorkerConfig.java} has a row in the Configuration
   * table and every row is such a variable; then a configuration is loaded from an environment
   * holding only {@code HOME} and {@code PATH} (with a {@code claude} on it, so that the default
   * provider can run), with the workspace repository and the providers file created where the
   * table's defaults say, and each documented default must be what it has.
   */
  static void checkEnvironmentTable(String doc, Path home) throws IOException {
    Set<String> read = new TreeSet<>();
    Matcher src = MESH_LITERAL.matcher(Files.readString(CONFIG_SOURCE, StandardCharsets.UTF_8));
    while (src.find()) {
      read.add(src.group(1));
    }
    assertThat(read).as("variables found in %s", CONFIG_SOURCE).isNotEmpty();

    Map<String, String> defaults = new LinkedHashMap<>();
    Matcher row = ENV_ROW.matcher(section(doc, "## Configuration"));
    while (row.find()) {
      defaults.put(row.group(1), row.group(2));
    }
    assertThat(defaults.keySet())
        .as("MESH_* rows of the Configuration table of docs/worker.md vs %s", CONFIG_SOURCE)
        .containsExactlyInAnyOrderElementsOf(read);

    Files.createDirectories(home);
    GitRepos.init(fromHome(home, defaults.get("MESH_WORKSPACE")));
    Path providersFile = fromHome(home, defaults.get("MESH_PROVIDERS_FILE"));
    Files.createDirectories(providersFile.getParent());
    Files.writeString(providersFile, example(doc, "providers-file", "json"));
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path claude = Files.writeString(bin.resolve("claude"), "#!/bin/sh\n");
    claude.toFile().setExecutable(true);
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
    WorkerConfig c = WorkerConfig.load(WorkerConfig.Flags.NONE, env);

    Map<String, Function<WorkerConfig, String>> literal = new HashMap<>();
    literal.put("MESH_NATS_URL", WorkerConfig::natsUrl);
    literal.put("MESH_WORKSPACE", x -> tilde(home, x.workspace()));
    literal.put("MESH_WORKTREE_BASE", x -> tilde(home, x.worktreeBase()));
    literal.put("MESH_MAX_ATTEMPTS", x -> String.valueOf(x.maxAttempts()));
    literal.put("MESH_POLL_INTERVAL", x -> ms(x.pollInterval()));
    literal.put("MESH_HEARTBEAT_INTERVAL", x -> ms(x.heartbeatInterval()));
    literal.put("MESH_METRIC_TIMEOUT", x -> ms(x.metricTimeout()));
    literal.put("MESH_RETRY_BACKOFF_MS", x -> ms(x.backoff().exitBase()));
    literal.put("MESH_RETRY_BACKOFF_MAX_MS", x -> ms(x.backoff().exitMax()));
    literal.put("MESH_METRIC_RETRY_MS", x -> ms(x.backoff().metricDelay()));
    literal.put("MESH_COLLAB_CHECK_INTERVAL", x -> ms(x.collabCheckInterval()));
    literal.put("MESH_HEALTH_INTERVAL", x -> ms(x.healthInterval()));

    for (Map.Entry<String, String> e : defaults.entrySet()) {
      String name = e.getKey();
      String cell = e.getValue();
      List<String> code = codeSpans(cell);
      switch (name) {
        case "MESH_NODE_ID" -> {
          assertThat(cell).as(name).contains("host name").contains("`[a-z0-9-]`");
          assertThat(c.nodeId()).as(name).isEqualTo(NodeIds.fromHostname());
        }
        case "MESH_LLM_PROVIDER" -> {
          assertThat(cell).as(name).startsWith("none");
          assertThat(c.envProvider()).as(name).isNull();
          assertThat(code.get(code.size() - 1))
              .as(name)
              .isEqualTo(ProviderRegistry.DEFAULT_PROVIDER);
          assertThat(c.providers().resolve(null, null, null).name())
              .isEqualTo(ProviderRegistry.DEFAULT_PROVIDER);
        }
        case "MESH_PRICES_FILE" -> {
          // No file: the table shipped in the jar, the resource the cell names.
          assertThat(cell).as(name).startsWith("none");
          assertThat(code).as(name).contains(PriceTable.DEFAULT_RESOURCE.substring(1));
          assertThat(c.providers().prices()).as(name).isSameAs(PriceTable.defaults());
        }
        case "MESH_JOIN_TOKEN" -> {
          assertThat(cell).as(name).startsWith("none");
          assertThat(c.joinToken()).as(name).isNull();
        }
        case "MESH_SCRATCH_DIR" -> {
          String path =
              code.get(0)
                  .replace("<java.io.tmpdir>", System.getProperty("java.io.tmpdir"))
                  .replace("<user>", System.getProperty("user.name"));
          assertThat(c.scratch()).as(name).isEqualTo(Path.of(path).toAbsolutePath().normalize());
        }
        case "MESH_CAPABILITIES" -> {
          assertThat(cell).as(name).startsWith("none");
          assertThat(c.capabilities()).as(name).isEmpty();
        }
        case "MESH_PROVIDERS_FILE" ->
            // The example was written where the documented default says: it must have been read.
            assertThat(c.providers().names())
                .as("%s default %s", name, cell)
                .contains("mycli", "llm");
        default -> {
          Function<WorkerConfig, String> actual = literal.get(name);
          if (actual == null) {
            fail(
                "WorkerConfig reads %s: WorkerDocTest does not know how to check its default;"
                    + " teach it",
                name);
          }
          assertThat(code).as("%s default cell: %s", name, cell).isNotEmpty();
          assertThat(code.get(0)).as("%s default", name).isEqualTo(actual.apply(c));
        }
      }
    }
  }

  private static Path fromHome(Path home, String cell) {
    String path = codeSpans(cell).get(0);
    assertThat(path).startsWith("~/");
    return home.resolve(path.substring(2));
  }

  private static String tilde(Path home, Path p) {
    Path h = home.toAbsolutePath().normalize();
    return p.startsWith(h) ? "~/" + h.relativize(p) : p.toString();
  }

  private static String ms(Duration d) {
    return String.valueOf(d.toMillis());
  }

  // ---- built-in providers table --------------------------------------------------------------

  @Test
  void builtInProvidersTable_matchesTheInvocationsTheProvidersBuild() throws IOException {
    String providers = section(doc(), "## Providers");
    providers = providers.substring(0, providers.indexOf("\n### "));
    Map<String, List<String>> table = rows(providers);
    assertThat(table.keySet()).containsExactlyInAnyOrderElementsOf(ProviderRegistry.BUILT_IN_NAMES);

    ProviderRegistry builtIns = ProviderRegistry.builtIns(Map.of());
    Map<String, String> documentedAliases = new HashMap<>();
    for (Map.Entry<String, List<String>> e : table.entrySet()) {
      String name = e.getKey();
      List<String> cells = e.getValue();
      assertThat(cells).as(name).hasSize(5);
      Provider p = builtIns.get(name);
      // Names after the first in the name cell are aliases: the same provider.
      for (String alias : codeSpans(cells.get(0)).subList(1, codeSpans(cells.get(0)).size())) {
        documentedAliases.put(alias, name);
        assertThat(builtIns.get(alias)).as("alias %s", alias).isSameAs(p);
      }
      RunRequest request = new RunRequest(PROMPT, "<model>", WORKTREE, "<description>");
      Invocation inv = p.invocation(request);
      assertThat(codeSpans(cells.get(1))).as(name).containsExactly(String.join(" ", inv.argv()));
      assertThat(inv.cwd()).as(name).isEqualTo(WORKTREE);
      assertThat(documentedDefault(cells.get(2))).as(name).isEqualTo(p.defaultModel());

      List<String> binary = codeSpans(cells.get(3));
      assertThat(binary.get(0)).as(name).isEqualTo(inv.argv().get(0));
      List<String> overrides = binary.subList(1, binary.size());
      assertThat(overrides).as(name).contains(name.toUpperCase(java.util.Locale.ROOT) + "_PATH");
      for (String var : overrides) {
        String replaced =
            ProviderRegistry.builtIns(Map.of(var, "/opt/x/" + name))
                .get(name)
                .invocation(request)
                .argv()
                .get(0);
        assertThat(replaced).as("%s overridden by %s", name, var).isEqualTo("/opt/x/" + name);
      }

      Object stripped = documentedDefault(cells.get(4));
      assertThat(stripped == null ? List.of() : codeSpans(cells.get(4)))
          .as(name)
          .containsExactlyElementsOf(inv.envStrip());
    }
    assertThat(documentedAliases).isEqualTo(ProviderRegistry.ALIASES);
    // aider: "without a model the --model pair is left out".
    assertThat(builtIns.get("aider").invocation(new RunRequest(PROMPT, null, WORKTREE, "")).argv())
        .containsExactly("aider", "--message", PROMPT);
  }

  // ---- tokens and prices -----------------------------------------------------------------------

  @Test
  void tokensExample_isWhatTheOpenaiProviderReadsFromARecordedCodexRun() throws IOException {
    JsonNode documented = Json.mapper().readTree(example(doc(), "tokens", "json"));
    String out = Recorded.stdout("codex/success");
    JsonNode read =
        ProviderRegistry.builtIns(Map.of()).get("codex").interpret("gpt-4.1", out, "").tokens();
    assertThat(read.toString()).isEqualTo(documented.toString());
  }

  @Test
  void usageTable_coversEveryBuiltInProviderAndAlias() throws IOException {
    Map<String, List<String>> table = rows(section(doc(), "### Tokens and cost"));
    Set<String> named = new TreeSet<>();
    for (List<String> cells : table.values()) {
      named.addAll(codeSpans(cells.get(0)));
    }
    assertThat(named).containsAll(ProviderRegistry.reservedNames());
  }

  @Test
  void pricesFileExample_loadsWithTheRealLoader_andAgreesWithTheShippedTable() throws IOException {
    PriceTable example = PriceTable.parse(example(doc(), "prices-file", "json"), "docs");
    PriceTable shipped = PriceTable.defaults();
    assertThat(example.asOf()).isEqualTo(shipped.asOf());
    assertThat(example.price("openai", "gpt-4.1")).isEqualTo(shipped.price("openai", "gpt-4.1"));
    assertThat(example.price("ollama", "any-model")).isEqualTo(shipped.price("ollama", "x"));
  }

  @Test
  void pricesErrorExample_isTheMessageABadFileGives() throws IOException {
    Path file = tmp.resolve("prices.json");
    Files.writeString(
        file,
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": {\"gpt-x\":"
            + " {\"input\": 1, \"output\": -1}}}}");
    Path home = tmp.resolve("home");
    Files.createDirectories(home);
    Map<String, String> env = new HashMap<>();
    env.put("HOME", home.toString());
    env.put("PATH", System.getenv("PATH"));
    env.put("MESH_NODE_ID", "doc-node");
    env.put("MESH_WORKSPACE", GitRepos.init(tmp.resolve("ws")).toString());
    env.put("MESH_PRICES_FILE", file.toString());
    String documented = example(doc(), "prices-error", "text").strip();
    assertThatThrownBy(() -> WorkerConfig.load(WorkerConfig.Flags.NONE, env))
        .hasMessage(documented.replace("prices file F,", "prices file " + file + ","));
  }

  // ---- commands run as processes -------------------------------------------------------------

  @Test
  void helpExample_isWhatTheWorkerPrints() throws Exception {
    Run r = runWorker(Map.of(), List.of("--help"));
    assertThat(r.code()).isZero();
    assertThat(r.stdout().strip()).isEqualTo(example(doc(), "help", "text").strip());
  }

  @Test
  void badConfigExample_printsItsLine_andExitsWithItsCode() throws Exception {
    runConsoleExample("bad-config", Map.of());
  }

  @Test
  void providerMissingExample_printsItsLine_andExitsWithItsCode() throws Exception {
    // A machine without claude: HOME holds the default workspace, PATH only git (which the
    // workspace check runs).
    GitRepos.init(tmp.resolve(".openclaw/workspace"));
    Path bin = Files.createDirectories(tmp.resolve("git-only"));
    Files.createSymbolicLink(
        bin.resolve("git"), ProviderCheck.locate("git", System.getenv("PATH")).orElseThrow());
    runConsoleExample("provider-missing", Map.of("PATH", bin.toString()));
  }

  @Test
  void healthBeatExample_hasExactlyTheFieldsOfARealBeat() throws IOException {
    JsonNode documented = Json.mapper().readTree(example(doc(), "health-beat", "json"));
    HealthBeat.Facts facts =
        new HealthBeat.Facts("node-1", "linux", "/ws", List.of("claude"), List.of("gpu"));
    JsonNode real =
        Json.mapper()
            .valueToTree(
                HealthBeat.of(facts, Machine.measure(tmp), Optional.of("T-42"), Instant.now()));
    assertThat(fieldPaths(documented, "")).isEqualTo(fieldPaths(real, ""));
  }

  @Test
  void joinTable_listsTheRequestsFields_andTheHostFacts() throws IOException {
    Map<String, List<String>> fields = rows(section(doc(), "## Joining the mesh"));
    Set<String> request = new TreeSet<>();
    Json.mapper()
        .valueToTree(new NodeRequests.Join("n", "t", List.of(), List.of(), null))
        .fieldNames()
        .forEachRemaining(request::add);
    assertThat(fields.keySet()).containsExactlyInAnyOrderElementsOf(request);
    String host = codeSpans(fields.get("host").get(1)).get(0);
    Set<String> documented = new TreeSet<>();
    for (String f : host.substring(1, host.length() - 1).split(",")) {
      documented.add(f.strip());
    }
    Set<String> real = new TreeSet<>();
    Machine.host("h").fieldNames().forEachRemaining(real::add);
    assertThat(documented).isEqualTo(real);
  }

  /** Every field of {@code n} as a dotted path, objects descended into. */
  private static Set<String> fieldPaths(JsonNode n, String prefix) {
    Set<String> out = new TreeSet<>();
    n.properties()
        .forEach(
            e -> {
              out.add(prefix + e.getKey());
              if (e.getValue().isObject()) {
                out.addAll(fieldPaths(e.getValue(), prefix + e.getKey() + "."));
              }
            });
    return out;
  }

  /**
   * Runs the {@code console} example {@code name} (a command, its one line of output, {@code echo
   * $?} and the code) with {@code context} added to its environment, and checks line and code.
   */
  private void runConsoleExample(String name, Map<String, String> context) throws Exception {
    List<String> lines = example(doc(), name, "console").strip().lines().toList();
    assertThat(lines).hasSize(4);
    Matcher cmd =
        Pattern.compile("\\$ ((?:[A-Z_]+=\\S+ )*)" + Pattern.quote(WORKER_JAR_COMMAND) + "(.*)")
            .matcher(lines.get(0));
    assertThat(cmd.matches()).as(lines.get(0)).isTrue();
    Map<String, String> env = new HashMap<>();
    for (String assignment : cmd.group(1).strip().split(" ")) {
      int eq = assignment.indexOf('=');
      env.put(assignment.substring(0, eq), assignment.substring(eq + 1));
    }
    List<String> args =
        cmd.group(2).isBlank() ? List.of() : List.of(cmd.group(2).strip().split(" "));
    assertThat(lines.get(2)).isEqualTo("$ echo $?");
    env.putAll(context);

    Run r = runWorker(env, args);
    assertThat(r.stderr().strip()).isEqualTo(lines.get(1));
    assertThat(r.code()).isEqualTo(Integer.parseInt(lines.get(3)));
  }

  private record Run(int code, String stdout, String stderr) {}

  /** {@code WorkerMain args} in a new JVM with HOME in the test's directory plus {@code env}. */
  private Run runWorker(Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("dev.jetmesh.worker.WorkerMain");
    cmd.addAll(args);
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().clear();
    pb.environment().put("PATH", System.getenv("PATH"));
    pb.environment().put("HOME", tmp.toString());
    pb.environment().putAll(env);
    pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("worker did not exit: " + cmd);
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
