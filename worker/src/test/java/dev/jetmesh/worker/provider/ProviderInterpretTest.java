package dev.jetmesh.worker.provider;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.Recorded;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each built-in provider reads its recorded output into text, cost and the stable token shape: the
 * cost the CLI printed when it printed one, else its tokens priced with the table, else unknown.
 */
class ProviderInterpretTest {
  private final ProviderRegistry shipped = ProviderRegistry.builtIns(Map.of());

  private RunOutput run(ProviderRegistry reg, String provider, String model, String recorded) {
    return reg.get(provider).interpret(model, Recorded.stdout(recorded), Recorded.stderr(recorded));
  }

  private static ProviderRegistry pricing(String providersJson) {
    return ProviderRegistry.builtIns(
        Map.of(),
        PriceTable.parse(
            "{\"as_of\": \"2026-12-01\", \"providers\": " + providersJson + "}", "test"));
  }

  @Test
  void claude_usesTheCostItPrinted_andTheStableTokenShape() {
    RunOutput o = run(shipped, "claude", "sonnet", "claude/json-success");
    assertThat(o.costUsd()).isEqualByComparingTo("0.0516279");
    assertThat(o.tokens().toString())
        .isEqualTo("{\"input\":22519,\"cached_input\":18338,\"output\":612,\"total\":23131}");
  }

  @Test
  void claude_withoutACost_isPricedOnlyWhenTheTableKnowsTheModel() {
    assertThat(run(shipped, "claude", "sonnet", "claude/no-cost-field").costUsd()).isNull();
    ProviderRegistry priced =
        pricing(
            "{\"claude\": {\"sonnet\": {\"input\": 3, \"cached_input\": 0.30, \"output\": 15}}}");
    // 1,020 uncached x 3 + 4,000 cached x 0.30 + 300 output x 15 = 8,760 / 1M.
    assertThat(run(priced, "claude", "sonnet", "claude/no-cost-field").costUsd())
        .isEqualByComparingTo("0.00876");
  }

  @Test
  void openai_pricesCodexTokens_withTheShippedTable() {
    RunOutput o = run(shipped, "openai", "gpt-4.1", "codex/success");
    // 2,860 uncached x 2.00 + 15,360 cached x 0.50 + 947 output x 8.00 = 20,976 / 1M.
    assertThat(o.costUsd()).isEqualByComparingTo("0.020976");
    assertThat(o.text()).startsWith("Fixed `page_count`");
    assertThat(o.tokens().toString())
        .isEqualTo("{\"input\":18220,\"cached_input\":15360,\"output\":947,\"total\":19167}");
    RunOutput unpriced = run(shipped, "openai", "gpt-9-preview", "codex/success");
    assertThat(unpriced.costUsd()).isNull();
    assertThat(unpriced.tokens()).isEqualTo(o.tokens());
  }

  @Test
  void codexAlias_readsAndPricesExactlyAsOpenai() {
    RunOutput viaAlias = run(shipped, "codex", "gpt-4.1", "codex/success");
    assertThat(viaAlias).isEqualTo(run(shipped, "openai", "gpt-4.1", "codex/success"));
  }

  @Test
  void gemini_pricesEveryModelItUsed_andAnUnknownModelMakesTheCostUnknown() {
    RunOutput o = run(shipped, "gemini", "gemini-2.5-pro", "gemini/success-two-models");
    // pro: 15,269 x 1.25 + 563 x 10; flash: 1,032 x 0.30 + 74 x 2.50 (no cached price: input's).
    assertThat(o.costUsd()).isEqualByComparingTo("0.02521085");
    assertThat(o.tokens().get("total").asLong()).isEqualTo(16938);
    RunOutput unknown = run(shipped, "gemini", "gemini-2.5-pro", "gemini/unknown-model");
    assertThat(unknown.costUsd()).isNull();
    assertThat(unknown.tokens().get("output").asLong()).isEqualTo(220);
  }

  @Test
  void ollama_isFreeBecauseTheTableSaysSo_butUnknownWithoutItsCounts() {
    RunOutput o = run(shipped, "ollama", "llama3", "ollama/verbose");
    assertThat(o.costUsd()).isEqualByComparingTo("0");
    assertThat(o.tokens().toString()).isEqualTo("{\"input\":1187,\"output\":356,\"total\":1543}");
    RunOutput silent = run(shipped, "ollama", "llama3", "ollama/no-verbose");
    assertThat(silent.costUsd()).isNull();
    assertThat(silent.tokens()).isNull();
    RunOutput noTable =
        run(
            ProviderRegistry.builtIns(Map.of(), PriceTable.none()),
            "ollama",
            "x",
            "ollama/verbose");
    assertThat(noTable.costUsd()).isNull();
  }

  @Test
  void aider_usesItsSessionCost_elseTheTable() {
    ProviderRegistry priced =
        pricing(
            "{\"aider\": {\"gpt-4o\": {\"input\": 999, \"output\": 999},"
                + " \"ollama_chat/qwen2.5-coder:7b\": {\"input\": 0, \"output\": 0}}}");
    assertThat(run(priced, "aider", "gpt-4o", "aider/with-cost").costUsd())
        .isEqualByComparingTo("0.01");
    assertThat(
            run(shipped, "aider", "ollama_chat/qwen2.5-coder:7b", "aider/no-price-known").costUsd())
        .isNull();
    assertThat(
            run(priced, "aider", "ollama_chat/qwen2.5-coder:7b", "aider/no-price-known").costUsd())
        .isEqualByComparingTo("0");
    assertThat(run(priced, "aider", null, "aider/no-price-known").costUsd()).isNull();
  }

  @Test
  void textProviders_reportNothing_whateverTheyPrint() {
    String json = Recorded.stdout("claude/json-success");
    for (String p : new String[] {"shell", "deepseek", "kimi", "minimax"}) {
      RunOutput o = shipped.get(p).interpret("m", json, "");
      assertThat(o.text()).as(p).isEqualTo(json);
      assertThat(o.costUsd()).as(p).isNull();
      assertThat(o.tokens()).as(p).isNull();
    }
  }
}
