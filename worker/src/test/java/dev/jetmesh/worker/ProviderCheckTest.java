package dev.jetmesh.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.worker.provider.ClaudeProvider;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.provider.ShellProvider;
import dev.jetmesh.worker.provider.usage.PriceTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderCheckTest {
  @TempDir Path tmp;

  @Test
  void locate_searchesPathInOrder_andTakesOnlyExecutableFiles() throws IOException {
    Path first = Files.createDirectories(tmp.resolve("first"));
    Files.writeString(first.resolve("tool"), "not executable");
    Files.createDirectories(first.resolve("dir-tool"));
    Path second = WorkerConfigTest.program(tmp.resolve("second"), "tool");
    WorkerConfigTest.program(tmp.resolve("third"), "tool");
    String path =
        first
            + ":"
            + tmp.resolve("missing")
            + ":"
            + second.getParent()
            + ":"
            + tmp.resolve("third");

    assertThat(ProviderCheck.locate("tool", path)).contains(second);
    assertThat(ProviderCheck.locate("dir-tool", path)).isEmpty();
    assertThat(ProviderCheck.locate("nothing", path)).isEmpty();
    assertThat(ProviderCheck.locate("", path)).isEmpty();
  }

  @Test
  void locate_takesAPathWithASlashAsIs_withoutSearching() throws IOException {
    Path tool = WorkerConfigTest.program(tmp.resolve("bin"), "tool");
    assertThat(ProviderCheck.locate(tool.toString(), "")).contains(tool);
    assertThat(
            ProviderCheck.locate(tmp.resolve("bin/none").toString(), tmp.resolve("bin").toString()))
        .isEmpty();
    // A bare name is never taken from the current directory unless PATH says so.
    assertThat(ProviderCheck.locate("tool", tmp.resolve("elsewhere").toString())).isEmpty();
  }

  @Test
  void binary_isTheProgramTheProviderStarts() {
    assertThat(ProviderCheck.binary(new ClaudeProvider("/opt/claude", PriceTable.defaults())))
        .isEqualTo("/opt/claude");
    assertThat(ProviderCheck.binary(new ShellProvider("/bin/bash"))).isEqualTo("/bin/bash");
  }

  @Test
  void offered_putsTheDefaultFirst_andLeavesOutProvidersWithoutTheirProgram() {
    Path bin = tmp.resolve("bin");
    WorkerConfigTest.program(bin, "claude");
    WorkerConfigTest.program(bin, "ollama");
    ProviderRegistry all = ProviderRegistry.builtIns(Map.of());
    assertThat(
            ProviderCheck.offered(
                all,
                new ProviderCheck.DefaultProvider("ollama", "MESH_LLM_PROVIDER"),
                bin.toString()))
        .containsExactly("ollama", "claude", "shell");
  }

  @Test
  void offered_countsAnAliasOfTheDefault_once() {
    Path bin = tmp.resolve("bin");
    WorkerConfigTest.program(bin, "claude");
    Provider claude = new ClaudeProvider("claude", PriceTable.defaults());
    Map<String, Provider> m = new LinkedHashMap<>();
    m.put("claude", claude);
    m.put("cc", claude);
    assertThat(
            ProviderCheck.offered(
                ProviderRegistry.of(m),
                new ProviderCheck.DefaultProvider("cc", "--provider"),
                bin.toString()))
        .containsExactly("claude");
  }

  @Test
  void missingDefault_namesTheProgram_theSetting_andTheOverride() {
    ProviderRegistry all = ProviderRegistry.builtIns(Map.of("CLAUDE_PATH", "/nonexistent/claude"));
    assertThatThrownBy(
            () ->
                ProviderCheck.offered(
                    all, new ProviderCheck.DefaultProvider("claude", "--provider"), ""))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "--provider claude: program \"/nonexistent/claude\" is not an executable file"
                + " (install it or set CLAUDE_PATH, or set MESH_LLM_PROVIDER to one this machine"
                + " has (shell))");
  }

  @Test
  void missingCustomDefault_pointsAtTheProvidersFile() {
    Map<String, Provider> m = new LinkedHashMap<>();
    m.put(
        "mycli",
        new dev.jetmesh.worker.provider.FlagProvider(
            "mycli", "mycli-not-installed", null, "-p", "", "", null, null));
    assertThatThrownBy(
            () ->
                ProviderCheck.offered(
                    ProviderRegistry.of(m),
                    new ProviderCheck.DefaultProvider("mycli", "MESH_LLM_PROVIDER"),
                    tmp.toString()))
        .hasMessage(
            "MESH_LLM_PROVIDER mycli: program \"mycli-not-installed\" not found on PATH (fix its"
                + " \"binary\" in MESH_PROVIDERS_FILE)");
  }
}
