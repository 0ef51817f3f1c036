package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.PriceTableException;
import dev.jetmesh.worker.provider.usage.UsageFormat;
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
 * {@code llm_provider}, then {@code MESH_LLM_PROVIDER}, then {@code --provider}, then claude; an
 * alias ({@code codex} for {@code openai}) names the same provider. Model: the task's {@code
 * llm_model}, then {@code --model}, then the provider's default. A built-in's binary can be
 * replaced with {@code <NAME>_PATH} ({@code CLAUDE_PATH}, {@code OPENAI_PATH} or {@code
 * CODEX_PATH}, ...). Every provider prices tokens with the same {@link PriceTable}. Immutable and
 * thread-safe.
 */
public final class ProviderRegistry {
  /** The provider used when nothing names one. */
  public static final String DEFAULT_PROVIDER = ClaudeProvider.NAME;

  /** Names of the built-in providers. */
  public static final Set<String> BUILT_IN_NAMES =
      Set.of(
          "claude", "openai", "gemini", "deepseek", "kimi", "minimax", "ollama", "aider", "shell");

  /**
   * Other names of built-in providers: {@code codex}, the CLI the {@code openai} provider runs, is
   * what users and the README call it. A run records the provider's own name.
   */
  public static final Map<String, String> ALIASES = Map.of("codex", "openai");

  private final Map<String, Provider> providers;
  private final PriceTable prices;

  private ProviderRegistry(Map<String, Provider> providers, PriceTable prices) {
    this.providers = Collections.unmodifiableMap(new LinkedHashMap<>(providers));
    this.prices = prices;
  }

  /** The built-ins only, with binaries taken from {@code env} and the shipped prices. */
  public static ProviderRegistry builtIns(Map<String, String> env) {
    return builtIns(env, PriceTable.defaults());
  }

  /** The built-ins only, with binaries taken from {@code env}, pricing with {@code prices}. */
  public static ProviderRegistry builtIns(Map<String, String> env, PriceTable prices) {
    requireNonNull(prices, "null prices");
    Map<String, Provider> m = new LinkedHashMap<>();
    m.put("claude", new ClaudeProvider(binary(env, "claude", "claude"), prices));
    m.put("openai", codex(binary(env, "openai", env.getOrDefault("CODEX_PATH", "codex")), prices));
    m.put("gemini", gemini(binary(env, "gemini", "gemini"), prices));
    m.put(
        "deepseek",
        FlagProvider.generic("deepseek", binary(env, "deepseek", "deepseek"), "deepseek-chat"));
    m.put("kimi", FlagProvider.generic("kimi", binary(env, "kimi", "kimi"), "kimi"));
    m.put(
        "minimax",
        FlagProvider.generic("minimax", binary(env, "minimax", "minimax"), "minimax-01"));
    m.put("ollama", new OllamaProvider(binary(env, "ollama", "ollama"), prices));
    m.put("aider", aider(binary(env, "aider", "aider"), prices));
    m.put("shell", new ShellProvider(binary(env, "shell", "/bin/bash")));
    return new ProviderRegistry(m, prices);
  }

  /**
   * The Codex CLI in its non-interactive mode: JSON events on stdout, allowed to write in its
   * working directory (the worktree) but not beyond it, the prompt as the positional argument.
   */
  private static FlagProvider codex(String binary, PriceTable prices) {
    return new FlagProvider(
        "openai",
        binary,
        "gpt-4.1",
        "",
        "--model",
        "",
        List.of("exec", "--json", "--sandbox", "workspace-write"),
        List.of(),
        UsageFormat.CODEX_JSONL,
        prices);
  }

  /**
   * The Gemini CLI, headless: JSON with token statistics on stdout, every tool call approved (as
   * claude's bypassPermissions; a headless run cannot ask). It has no cwd flag: the working
   * directory is the worktree.
   */
  private static FlagProvider gemini(String binary, PriceTable prices) {
    return new FlagProvider(
        "gemini",
        binary,
        "gemini-2.5-pro",
        "-p",
        "--model",
        "",
        List.of("--output-format", "json", "--yolo"),
        List.of(),
        UsageFormat.GEMINI_JSON,
        prices);
  }

  private static FlagProvider aider(String binary, PriceTable prices) {
    return new FlagProvider(
        "aider",
        binary,
        null,
        "--message",
        "--model",
        "",
        List.of(),
        List.of(),
        UsageFormat.AIDER_REPORT,
        prices);
  }

  /**
   * The built-ins plus the custom providers of {@code customFile}, with the shipped prices. A
   * missing file is fine unless {@code required} (the operator named it explicitly); a malformed
   * one is always an error.
   */
  public static ProviderRegistry load(Map<String, String> env, Path customFile, boolean required) {
    return load(env, customFile, required, PriceTable.defaults());
  }

  /**
   * As {@link #load(Map, Path, boolean)}, pricing with {@code prices}.
   *
   * @throws ProviderException when the custom providers file cannot be used
   * @throws PriceTableException when {@code prices} names a provider this registry lacks
   */
  public static ProviderRegistry load(
      Map<String, String> env, Path customFile, boolean required, PriceTable prices) {
    ProviderRegistry base = builtIns(env, prices);
    Map<String, Provider> all = new LinkedHashMap<>(base.providers);
    if (customFile != null && (required || Files.exists(customFile))) {
      all.putAll(CustomProviders.load(customFile, reservedNames()));
    }
    prices.requireKnownProviders(all.keySet(), ALIASES);
    return new ProviderRegistry(all, prices);
  }

  /** Names a custom provider may not take: the built-ins and their aliases. */
  public static Set<String> reservedNames() {
    Set<String> names = new TreeSet<>(BUILT_IN_NAMES);
    names.addAll(ALIASES.keySet());
    return names;
  }

  /** A registry of exactly these providers (tests). */
  public static ProviderRegistry of(Map<String, Provider> providers) {
    return new ProviderRegistry(providers, PriceTable.none());
  }

  /**
   * The provider called {@code name} (or an alias of it), or a {@link ProviderException} naming the
   * known ones.
   */
  public Provider get(String name) {
    Provider p = providers.get(ALIASES.getOrDefault(name, name));
    if (p == null) {
      throw new ProviderException(
          "Unknown LLM provider \"" + name + "\" (known: " + String.join(", ", names()) + ")");
    }
    return p;
  }

  /** Sorted names of every provider, aliases included: every name {@link #get} accepts. */
  public Set<String> names() {
    Set<String> names = new TreeSet<>(providers.keySet());
    ALIASES.forEach(
        (alias, name) -> {
          if (providers.containsKey(name)) {
            names.add(alias);
          }
        });
    return names;
  }

  /** The prices every provider of this registry uses. */
  public PriceTable prices() {
    return prices;
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
