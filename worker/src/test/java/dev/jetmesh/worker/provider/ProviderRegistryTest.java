package dev.jetmesh.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.PriceTableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRegistryTest {
  private static final Path WT = Path.of("/work/trees/T-1");
  private static final String PROMPT = "do \"it\" $(touch /tmp/x) `id`\nnext line";
  private final ProviderRegistry reg = ProviderRegistry.builtIns(Map.of());

  private List<String> argv(String provider, String model) {
    return reg.get(provider).invocation(new RunRequest(PROMPT, model, WT, "echo hi")).argv();
  }

  @Test
  void claude_asksForJson_inTheWorktree_andNeverAddsTheWorkspace() {
    Invocation inv = reg.get("claude").invocation(new RunRequest(PROMPT, null, WT, ""));
    assertThat(inv.argv())
        .containsExactly(
            "claude",
            "-p",
            PROMPT,
            "--output-format",
            "json",
            "--model",
            "sonnet",
            "--permission-mode",
            "bypassPermissions",
            "--add-dir",
            WT.toString());
    assertThat(inv.cwd()).isEqualTo(WT);
    assertThat(inv.envStrip()).containsExactly("CLAUDE_CODE*", "CLAUDECODE");
  }

  @Test
  void openai_runsCodexExec_withJsonEvents_inAWorktreeWritableSandbox() {
    Invocation inv = reg.get("openai").invocation(new RunRequest(PROMPT, null, WT, ""));
    assertThat(inv.argv())
        .containsExactly(
            "codex",
            "exec",
            "--json",
            "--sandbox",
            "workspace-write",
            PROMPT,
            "--model",
            "gpt-4.1");
    assertThat(inv.cwd()).isEqualTo(WT);
  }

  @Test
  void gemini_asksForJson_andApprovesTools_withoutTheCwdFlagItDoesNotHave() {
    assertThat(argv("gemini", null))
        .containsExactly(
            "gemini",
            "--output-format",
            "json",
            "--yolo",
            "-p",
            PROMPT,
            "--model",
            "gemini-2.5-pro");
  }

  @Test
  void genericProviders_useReferenceFlagsAndDefaults() {
    assertThat(argv("deepseek", null))
        .containsExactly(
            "deepseek", "-p", PROMPT, "--model", "deepseek-chat", "--cwd", WT.toString());
    assertThat(argv("kimi", null))
        .containsExactly("kimi", "-p", PROMPT, "--model", "kimi", "--cwd", WT.toString());
    assertThat(argv("minimax", "m2"))
        .containsExactly("minimax", "-p", PROMPT, "--model", "m2", "--cwd", WT.toString());
  }

  @Test
  void codex_andOpenai_nameTheSameProvider_whichRecordsItselfAsOpenai() {
    assertThat(reg.get("codex")).isSameAs(reg.get("openai"));
    assertThat(reg.resolve("codex", null, null).name()).isEqualTo("openai");
    assertThat(reg.resolve(null, "codex", null).name()).isEqualTo("openai");
    assertThat(reg.resolve(null, null, "codex").name()).isEqualTo("openai");
    assertThat(reg.names()).contains("codex", "openai");
    assertThatThrownBy(() -> reg.get("codexx")).hasMessageContaining("codex, deepseek");
  }

  @Test
  void customProviders_cannotTakeAnAlias(@TempDir Path tmp) throws IOException {
    Path file = tmp.resolve("providers.json");
    Files.writeString(file, "{\"codex\": {\"binary\": \"/opt/my-codex\"}}");
    assertThatThrownBy(() -> ProviderRegistry.load(Map.of(), file, true))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("\"codex\"")
        .hasMessageContaining("cannot override the built-in provider");
  }

  @Test
  void priceTable_namingAnAliasOrAnUnknownProvider_isRefused() {
    PriceTable byAlias =
        PriceTable.parse("{\"as_of\": \"2025-10-01\", \"providers\": {\"codex\": {}}}", "p");
    assertThatThrownBy(() -> ProviderRegistry.load(Map.of(), null, false, byAlias))
        .isInstanceOf(PriceTableException.class)
        .hasMessageContaining("use \"openai\"");
    PriceTable typo =
        PriceTable.parse("{\"as_of\": \"2025-10-01\", \"providers\": {\"olama\": {}}}", "p");
    assertThatThrownBy(() -> ProviderRegistry.load(Map.of(), null, false, typo))
        .isInstanceOf(PriceTableException.class)
        .hasMessageContaining("unknown provider \"olama\"");
    assertThat(ProviderRegistry.load(Map.of(), null, false).prices())
        .isSameAs(PriceTable.defaults());
  }

  @Test
  void aider_usesMessage_noCwdFlag_andNoDefaultModel() {
    assertThat(argv("aider", null)).containsExactly("aider", "--message", PROMPT);
    assertThat(argv("aider", "gpt-4o"))
        .containsExactly("aider", "--message", PROMPT, "--model", "gpt-4o");
  }

  @Test
  void ollama_runsVerbose_soThatItPrintsItsTokenCounts() {
    assertThat(argv("ollama", null))
        .containsExactly("ollama", "run", "--verbose", "llama3", PROMPT);
    assertThat(argv("ollama", "qwen"))
        .containsExactly("ollama", "run", "--verbose", "qwen", PROMPT);
  }

  @Test
  void shell_runsTheDescription_orThePromptWhenThereIsNone() {
    assertThat(argv("shell", null)).containsExactly("/bin/bash", "-c", "echo hi");
    assertThat(reg.get("shell").invocation(new RunRequest(PROMPT, null, WT, "")).argv())
        .containsExactly("/bin/bash", "-c", PROMPT);
    assertThat(reg.get("shell").invocation(new RunRequest(PROMPT, null, WT, "x")).cwd())
        .isEqualTo(WT);
  }

  @Test
  void pathVariables_replaceBinaries() {
    ProviderRegistry r =
        ProviderRegistry.builtIns(
            Map.of("CLAUDE_PATH", "/opt/claude", "CODEX_PATH", "/opt/codex", "AIDER_PATH", "/a"));
    RunRequest req = new RunRequest("p", null, WT, "");
    assertThat(r.get("claude").invocation(req).argv().get(0)).isEqualTo("/opt/claude");
    assertThat(r.get("openai").invocation(req).argv().get(0)).isEqualTo("/opt/codex");
    assertThat(r.get("aider").invocation(req).argv().get(0)).isEqualTo("/a");
    ProviderRegistry both =
        ProviderRegistry.builtIns(Map.of("OPENAI_PATH", "/o", "CODEX_PATH", "/c"));
    assertThat(both.get("openai").invocation(req).argv().get(0)).isEqualTo("/o");
  }

  @Test
  void provider_resolvesTaskThenEnvThenFlagThenClaude() {
    assertThat(reg.resolve("gemini", "kimi", "aider").name()).isEqualTo("gemini");
    assertThat(reg.resolve(null, "kimi", "aider").name()).isEqualTo("kimi");
    assertThat(reg.resolve("", " ", "aider").name()).isEqualTo("aider");
    assertThat(reg.resolve(null, null, null).name()).isEqualTo("claude");
  }

  @Test
  void model_resolvesTaskThenFlagThenProviderDefault() {
    Provider claude = reg.get("claude");
    assertThat(ProviderRegistry.resolveModel("opus", "haiku", claude)).isEqualTo("opus");
    assertThat(ProviderRegistry.resolveModel(null, "haiku", claude)).isEqualTo("haiku");
    assertThat(ProviderRegistry.resolveModel(null, null, claude)).isEqualTo("sonnet");
    assertThat(ProviderRegistry.resolveModel(null, null, reg.get("aider"))).isNull();
  }

  @Test
  void unknownProvider_isAClearError() {
    assertThatThrownBy(() -> reg.resolve("gpt-9", null, null))
        .isInstanceOf(ProviderException.class)
        .hasMessageContaining("Unknown LLM provider \"gpt-9\"")
        .hasMessageContaining("claude");
  }
}
