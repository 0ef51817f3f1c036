package dev.jetmesh.worker.provider;

import java.util.List;

/** Ollama: {@code ollama run <model> <prompt>}, run inside the worktree. */
public record OllamaProvider(String binary) implements Provider {
  public static final String NAME = "ollama";

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
  public Invocation invocation(RunRequest r) {
    String model = r.model() == null ? defaultModel() : r.model();
    return new Invocation(List.of(binary, "run", model, r.prompt()), r.worktree(), envStrip());
  }
}
