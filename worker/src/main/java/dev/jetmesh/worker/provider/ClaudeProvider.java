package dev.jetmesh.worker.provider;

import java.util.List;

/**
 * Claude Code: {@code claude -p <prompt> --output-format json --model <m> --permission-mode
 * bypassPermissions --add-dir <worktree>}, run inside the worktree. Unlike the reference it asks
 * for JSON (so cost and tokens can be read) and never adds the shared workspace. {@code
 * CLAUDE_CODE*} and {@code CLAUDECODE} are stripped so that a worker started from inside Claude
 * Code does not make the child believe it is nested.
 */
public record ClaudeProvider(String binary) implements Provider {
  public static final String NAME = "claude";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String defaultModel() {
    return "sonnet";
  }

  @Override
  public List<String> envStrip() {
    return List.of("CLAUDE_CODE*", "CLAUDECODE");
  }

  @Override
  public Invocation invocation(RunRequest r) {
    String model = r.model() == null ? defaultModel() : r.model();
    return new Invocation(
        List.of(
            binary,
            "-p",
            r.prompt(),
            "--output-format",
            "json",
            "--model",
            model,
            "--permission-mode",
            "bypassPermissions",
            "--add-dir",
            r.worktree().toString()),
        r.worktree(),
        envStrip());
  }

  @Override
  public RunOutput interpret(String stdout) {
    return ClaudeOutput.parse(stdout);
  }
}
