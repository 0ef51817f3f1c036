package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.UsageFormat;
import java.util.List;

/**
 * Claude Code: {@code claude -p <prompt> --output-format json --model <m> --permission-mode
 * bypassPermissions --add-dir <worktree>}, run inside the worktree. Unlike the reference it asks
 * for JSON (so cost and tokens can be read, see {@code usage.ClaudeOutput}) and never adds the
 * shared workspace. {@code CLAUDE_CODE*} and {@code CLAUDECODE} are stripped so that a worker
 * started from inside Claude Code does not make the child believe it is nested.
 */
public record ClaudeProvider(String binary, PriceTable prices) implements Provider {
  public static final String NAME = "claude";

  public ClaudeProvider {
    requireNonNull(binary, "null binary");
    requireNonNull(prices, "null prices");
  }

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
  public UsageFormat usageFormat() {
    return UsageFormat.CLAUDE_JSON;
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
}
