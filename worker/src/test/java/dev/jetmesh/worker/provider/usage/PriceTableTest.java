package dev.jetmesh.worker.provider.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PriceTableTest {
  private static final PriceTable TABLE =
      PriceTable.parse(
          """
          {"as_of": "2026-11-30",
           "providers": {
             "openai": {"gpt-x": {"input": 2.00, "cached_input": 0.50, "output": 8.00},
                        "gpt-y": {"input": 1, "output": 4}},
             "ollama": {"*": {"input": 0, "output": 0}, "big": {"input": 0.1, "output": 0.2}}}}
          """,
          "test");

  @TempDir Path tmp;

  private static List<ModelTokens> run(long input, Long cached, long output) {
    return List.of(ModelTokens.ofRunModel(new TokenUsage(input, cached, output)));
  }

  @Test
  void knownModel_costsTokensTimesPricePerMillion_cachedTokensAtTheCachedPrice() {
    // 600,000 uncached x 2 + 400,000 cached x 0.5 + 100,000 output x 8 = 2,200,000 / 1M.
    assertThat(TABLE.cost("openai", "gpt-x", run(1_000_000, 400_000L, 100_000)))
        .isEqualByComparingTo("2.2");
    assertThat(TABLE.cost("openai", "gpt-x", run(1234, 0L, 56)))
        .isEqualByComparingTo(new BigDecimal("0.002916"));
  }

  @Test
  void withoutACachedPrice_orACachedCount_allInputCostsTheInputPrice() {
    assertThat(TABLE.cost("openai", "gpt-y", run(1_000_000, 900_000L, 0)))
        .isEqualByComparingTo("1");
    assertThat(TABLE.cost("openai", "gpt-x", run(1_000_000, null, 0))).isEqualByComparingTo("2");
  }

  @Test
  void unknownModel_provider_orRunModel_isUnknown_never0() {
    assertThat(TABLE.cost("openai", "gpt-unknown", run(10, 0L, 10))).isNull();
    assertThat(TABLE.cost("gemini", "gemini-2.5-pro", run(10, 0L, 10))).isNull();
    assertThat(TABLE.cost("openai", null, run(10, 0L, 10))).isNull();
    assertThat(TABLE.cost("openai", "gpt-x", List.of())).isNull();
  }

  @Test
  void onePartUnpriced_makesTheWholeRunUnknown() {
    List<ModelTokens> twoModels =
        List.of(
            new ModelTokens("gpt-x", new TokenUsage(1_000_000L, 0L, 0L)),
            new ModelTokens("gpt-z", new TokenUsage(1L, 0L, 1L)));
    assertThat(TABLE.cost("openai", null, twoModels)).isNull();
    List<ModelTokens> bothKnown =
        List.of(
            new ModelTokens("gpt-x", new TokenUsage(1_000_000L, 0L, 0L)),
            new ModelTokens("gpt-y", new TokenUsage(0L, 0L, 1_000_000L)));
    assertThat(TABLE.cost("openai", "ignored", bothKnown)).isEqualByComparingTo("6");
  }

  @Test
  void unknownOrContradictoryCounts_areUnknown() {
    assertThat(
            TABLE.cost(
                "openai", "gpt-x", List.of(ModelTokens.ofRunModel(new TokenUsage(null, null, 5L)))))
        .isNull();
    assertThat(TABLE.cost("openai", "gpt-x", run(10, 11L, 0))).isNull();
  }

  @Test
  void wildcard_pricesEveryOtherModel_anExactNameWins() {
    assertThat(TABLE.cost("ollama", "llama3", run(5000, null, 700))).isEqualByComparingTo("0");
    assertThat(TABLE.cost("ollama", "big", run(1_000_000, null, 1_000_000)))
        .isEqualByComparingTo("0.3");
  }

  @Test
  void shippedTable_isDated_pricesOllamaAtZeroOnPurpose_andLeavesClaudeOut() {
    PriceTable shipped = PriceTable.defaults();
    assertThat(shipped.asOf()).isEqualTo(LocalDate.of(2025, 10, 1));
    assertThat(shipped.source()).contains("prices.json");
    assertThat(shipped.price("ollama", "qwen2.5-coder:7b"))
        .isEqualTo(new Price(BigDecimal.ZERO, null, BigDecimal.ZERO));
    assertThat(shipped.price("openai", "gpt-4.1").input()).isEqualByComparingTo("2.00");
    assertThat(shipped.price("claude", "sonnet")).isNull();
    assertThat(shipped.providers()).containsExactly("gemini", "ollama", "openai");
  }

  @Test
  void none_pricesNothing() {
    assertThat(PriceTable.none().cost("ollama", "llama3", run(1, null, 1))).isNull();
  }

  @Test
  void badFiles_areOneClearError_namingTheFileAndTheFault() {
    bad("{", "is not valid JSON");
    bad("[]", "must hold a JSON object");
    bad("{\"providers\": {}}", "needs \"as_of\"");
    bad("{\"as_of\": \"1 Oct 2025\", \"providers\": {}}", "\"as_of\" is not a YYYY-MM-DD date");
    bad("{\"as_of\": \"2025-10-01\"}", "needs \"providers\"");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {}, \"currency\": \"EUR\"}",
        "unknown field \"currency\"");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": []}}",
        "provider \"openai\" must be an object of models");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": {\"m\": {\"input\": 1}}}}",
        "model \"m\": \"output\" must be a number");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": {\"m\":"
            + " {\"input\": \"1.0\", \"output\": 1}}}}",
        "\"input\" must be a number");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": {\"m\":"
            + " {\"input\": -1, \"output\": 1}}}}",
        ">= 0");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": {\"m\":"
            + " {\"input\": 1, \"output\": 1, \"outptu\": 2}}}}",
        "unknown field \"outptu\"");
    bad(
        "{\"as_of\": \"2025-10-01\", \"providers\": {\"openai\": {\"m\": {\"input\": 1,"
            + " \"output\": 1}, \"m\": {\"input\": 9, \"output\": 9}}}}",
        "Duplicate field 'm'");
  }

  private static void bad(String json, String message) {
    assertThatThrownBy(() -> PriceTable.parse(json, "/etc/mesh/prices.json"))
        .isInstanceOf(PriceTableException.class)
        .hasMessageStartingWith("prices file /etc/mesh/prices.json")
        .hasMessageContaining(message);
  }

  @Test
  void missingFile_isAClearError() {
    Path missing = tmp.resolve("nope.json");
    assertThatThrownBy(() -> PriceTable.load(missing))
        .isInstanceOf(PriceTableException.class)
        .hasMessageContaining("cannot read prices file " + missing);
  }

  @Test
  void providersTheNodeLacks_areRefused_anAliasWithTheNameToUse() {
    PriceTable byAlias =
        PriceTable.parse(
            "{\"as_of\": \"2025-10-01\", \"providers\": {\"codex\": {}}}", "mine.json");
    assertThatThrownBy(
            () -> byAlias.requireKnownProviders(Set.of("openai"), Map.of("codex", "openai")))
        .isInstanceOf(PriceTableException.class)
        .hasMessage("prices file mine.json names \"codex\", an alias: use \"openai\"");
    PriceTable typo =
        PriceTable.parse(
            "{\"as_of\": \"2025-10-01\", \"providers\": {\"gemnii\": {}}}", "mine.json");
    assertThatThrownBy(() -> typo.requireKnownProviders(Set.of("openai", "gemini"), Map.of()))
        .hasMessage(
            "prices file mine.json names unknown provider \"gemnii\" (known: gemini, openai)");
    TABLE.requireKnownProviders(Set.of("openai", "ollama"), Map.of());
  }
}
