package dev.jetmesh.worker.provider;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One LLM CLI family. A provider turns a prompt into an {@link Invocation} and reads the CLI's
 * standard output; it never runs anything itself. Implementations are immutable and thread-safe.
 */
public sealed interface Provider
    permits ClaudeProvider, FlagProvider, OllamaProvider, ShellProvider {

  /** The name tasks and configuration use ({@code claude}, {@code openai}, ...). */
  String name();

  /** The model used when neither the task nor the flag names one; null if the CLI picks. */
  @Nullable String defaultModel();

  /** Environment variables (exact, or prefixes ending in {@code *}) the child must not see. */
  List<String> envStrip();

  /** The argument vector and working directory of one run. */
  Invocation invocation(RunRequest request);

  /** Reads the CLI's standard output. */
  default RunOutput interpret(String stdout) {
    return RunOutput.text(stdout);
  }
}
