package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.UsageFormat;
import java.util.List;

/**
 * Ollama: {@code ollama run --verbose <model> <prompt>}, run inside the worktree. {@code --verbose}
 * (which the reference did not pass) makes Ollama print its token counts on stderr; the answer on
 * stdout is unchanged (see {@code usage.OllamaOutput}).
 */
public record OllamaProvider(String binary, PriceTable prices) implements Provider {
  public static final String NAME = "ollama";

  public OllamaProvider {
    requireNonNull(binary, "null binary");
    requireNonNull(prices, "null prices");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String defaultModel() {
    return "llama3";
  }

  @Override
  public List<String> envStrip() {
    return List.of();
  }

  @Override
  public UsageFormat usageFormat() {
    return UsageFormat.OLLAMA_VERBOSE;
  }

  @Override
  public Invocation invocation(RunRequest r) {
    String model = r.model() == null ? defaultModel() : r.model();
    return new Invocation(
        List.of(binary, "run", "--verbose", model, r.prompt()), r.worktree(), envStrip());
  }
}
