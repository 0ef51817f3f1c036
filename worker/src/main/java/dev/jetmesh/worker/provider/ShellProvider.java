package dev.jetmesh.worker.provider;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.UsageFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The shell provider: {@code /bin/bash -c <task description, or the prompt when it is empty>}, run
 * inside the worktree. Running user-given shell is this provider's purpose, so the text is one
 * argument to bash, never spliced into a larger command line. Anyone who can submit a task can run
 * code on a worker that offers this provider: the mesh must be closed to untrusted submitters. A
 * shell command reports no usage: its cost and tokens are unknown.
 */
public record ShellProvider(String binary) implements Provider {
  public static final String NAME = "shell";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public @Nullable String defaultModel() {
    return null;
  }

  @Override
  public List<String> envStrip() {
    return List.of();
  }

  @Override
  public UsageFormat usageFormat() {
    return UsageFormat.TEXT;
  }

  @Override
  public PriceTable prices() {
    return PriceTable.none();
  }

  @Override
  public Invocation invocation(RunRequest r) {
    String script = r.taskDescription().isEmpty() ? r.prompt() : r.taskDescription();
    return new Invocation(List.of(binary, "-c", script), r.worktree(), envStrip());
  }
}
