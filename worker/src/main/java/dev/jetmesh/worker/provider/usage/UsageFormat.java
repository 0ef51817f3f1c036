package dev.jetmesh.worker.provider.usage;

/** How a provider's output is read: which CLI family's report, if any, it carries. */
public enum UsageFormat {
  /** Plain text: no usage is reported. */
  TEXT {
    @Override
    public Reading read(String stdout, String stderr) {
      return Reading.text(stdout);
    }
  },
  /** {@link ClaudeOutput}. */
  CLAUDE_JSON {
    @Override
    public Reading read(String stdout, String stderr) {
      return ClaudeOutput.read(stdout);
    }
  },
  /** {@link CodexOutput}. */
  CODEX_JSONL {
    @Override
    public Reading read(String stdout, String stderr) {
      return CodexOutput.read(stdout);
    }
  },
  /** {@link GeminiOutput}. */
  GEMINI_JSON {
    @Override
    public Reading read(String stdout, String stderr) {
      return GeminiOutput.read(stdout);
    }
  },
  /** {@link OllamaOutput}. */
  OLLAMA_VERBOSE {
    @Override
    public Reading read(String stdout, String stderr) {
      return OllamaOutput.read(stdout, stderr);
    }
  },
  /** {@link AiderOutput}. */
  AIDER_REPORT {
    @Override
    public Reading read(String stdout, String stderr) {
      return AiderOutput.read(stdout);
    }
  };

  /** Reads one run's standard output and error; never fails, unknown usage stays unknown. */
  public abstract Reading read(String stdout, String stderr);
}
