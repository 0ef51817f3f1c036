package dev.jetmesh.worker.provider;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The providers a node offers, and the resolution rules of the reference. Provider: the task's
 * {@code llm_provider}, then {@code MESH_LLM_PROVIDER}, then {@code --provider}, then claude.
 * Model: the task's {@code llm_model}, then {@code --model}, then the provider's default. A
 * built-in's binary can be replaced with {@code <NAME>_PATH} ({@code CLAUDE_PATH}, {@code
 * OPENAI_PATH} or {@code CODEX_PATH}, ...). Immutable and thread-safe.
 */
public final class ProviderRegistry {
  /** The provider used when nothing names one. */
  public static final String DEFAULT_PROVIDER = ClaudeProvider.NAME;

  /** Names of the built-in providers. */
  public static final Set<String> BUILT_IN_NAMES =
      Set.of(
          "claude", "openai", "gemini", "deepseek", "kimi", "minimax", "ollama", "aider", "shell");

  private final Map<String, Provider> providers;

  private ProviderRegistry(Map<String, Provider> providers) {
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
  }

  /** The built-ins only, with binaries taken from {@code env}. */
  public static ProviderRegistry builtIns(Map<String, String> env) {
    Map<String, Provider> m = new LinkedHashMap<>();
    m.put("claude", new ClaudeProvider(binary(env, "claude", "claude")));
    m.put(
        "openai",
        FlagProvider.generic(
            "openai", binary(env, "openai", env.getOrDefault("CODEX_PATH", "codex")), "gpt-4.1"));
    m.put(
        "gemini",
        FlagProvider.generic("gemini", binary(env, "gemini", "gemini"), "gemini-2.5-pro"));
    m.put(
        "deepseek",
        FlagProvider.generic("deepseek", binary(env, "deepseek", "deepseek"), "deepseek-chat"));
    m.put("kimi", FlagProvider.generic("kimi", binary(env, "kimi", "kimi"), "kimi"));
    m.put(
        "minimax",
        FlagProvider.generic("minimax", binary(env, "minimax", "minimax"), "minimax-01"));
    m.put("ollama", new OllamaProvider(binary(env, "ollama", "ollama")));
    m.put(
        "aider",
        new FlagProvider(
            "aider",
            binary(env, "aider", "aider"),
            null,
            "--message",
            "--model",
            "",
            List.of(),
            List.of()));
    m.put("shell", new ShellProvider(binary(env, "shell", "/bin/bash")));
    return new ProviderRegistry(m);
  }

  /**
   * The built-ins plus the custom providers of {@code customFile}. A missing file is fine unless
   * {@code required} (the operator named it explicitly); a malformed one is always an error.
   */
  public static ProviderRegistry load(Map<String, String> env, Path customFile, boolean required) {
    ProviderRegistry base = builtIns(env);
    if (customFile == null || (!required && !Files.exists(customFile))) {
      return base;
    }
    Map<String, Provider> all = new LinkedHashMap<>(base.providers);
    all.putAll(CustomProviders.load(customFile, BUILT_IN_NAMES));
    return new ProviderRegistry(all);
  }

  /** A registry of exactly these providers (tests). */
  public static ProviderRegistry of(Map<String, Provider> providers) {
    return new ProviderRegistry(providers);
  }

  /** The provider called {@code name}, or a {@link ProviderException} naming the known ones. */
  public Provider get(String name) {
    Provider p = providers.get(name);
    if (p == null) {
      throw new ProviderException(
          "Unknown LLM provider \"" + name + "\" (known: " + String.join(", ", names()) + ")");
    }
    return p;
  }

  /** Sorted names of every provider. */
  public Set<String> names() {
    return new TreeSet<>(providers.keySet());
  }

  /** Resolves the provider: task, then environment, then flag, then {@link #DEFAULT_PROVIDER}. */
  public Provider resolve(
      @Nullable String taskProvider, @Nullable String envProvider, @Nullable String flagProvider) {
    return get(
        Objects.requireNonNull(
            firstNonBlank(taskProvider, envProvider, flagProvider, DEFAULT_PROVIDER)));
  }

  /** Resolves the model: task, then flag, then the provider's default (which may be null). */
  public static @Nullable String resolveModel(
      @Nullable String taskModel, @Nullable String flagModel, Provider provider) {
    return firstNonBlank(taskModel, flagModel, provider.defaultModel());
  }

  private static @Nullable String firstNonBlank(@Nullable String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v.strip();
      }
    }
    return null;
  }

  private static String binary(Map<String, String> env, String name, String dflt) {
    String override = env.get(name.toUpperCase(Locale.ROOT) + "_PATH");
    return override == null || override.isBlank() ? dflt : override;
  }
}
