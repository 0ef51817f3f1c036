package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * What a provider needs to build an invocation.
 *
 * @param prompt the full prompt
 * @param model the resolved model, or null when neither the task, the flag nor the provider names
 *     one
 * @param worktree the task's worktree: the working directory of every run
 * @param taskDescription the task's description (the shell provider runs it), may be empty
 */
public record RunRequest(
    String prompt, @Nullable String model, Path worktree, String taskDescription) {
  public RunRequest {
    requireNonNull(prompt, "null prompt");
    requireNonNull(worktree, "null worktree");
    taskDescription = taskDescription == null ? "" : taskDescription;
  }
}
