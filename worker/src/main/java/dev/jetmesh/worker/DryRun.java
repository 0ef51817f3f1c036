package dev.jetmesh.worker;

import dev.jetmesh.schema.model.Task;
import dev.jetmesh.schema.wire.TaskRequests;
import dev.jetmesh.worker.mesh.TaskCommands;
import dev.jetmesh.worker.prompt.PromptBuilder;
import dev.jetmesh.worker.provider.Invocation;
import dev.jetmesh.worker.provider.Provider;
import dev.jetmesh.worker.provider.ProviderException;
import dev.jetmesh.worker.provider.ProviderRegistry;
import dev.jetmesh.worker.provider.RunRequest;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * {@code --dry-run}: shows the prompt and command of the task this node would most likely claim,
 * without claiming, starting or running anything (the reference claimed and then abandoned the
 * task). The task is picked from {@code mesh.tasks.list {status:"queued"}}, which the orchestrator
 * sorts as claims do, keeping the ones this node may take and preferring the ones that prefer it.
 * Stateless.
 */
public final class DryRun {
  private DryRun() {}

  /** Prints to {@code out}; returns the process exit code. */
  public static int run(WorkerConfig config, TaskCommands commands, PrintStream out) {
    List<Task> queued = commands.list(new TaskRequests.ListTasks("queued", null, null, null));
    Optional<Task> pick = pick(queued, config.nodeId());
    if (pick.isEmpty()) {
      out.println("Dry run on node " + config.nodeId() + ": no queued task this node could claim.");
      return 0;
    }
    Task task = pick.get();
    Provider provider;
    try {
      provider =
          config
              .providers()
              .resolve(task.llmProvider(), config.envProvider(), config.flagProvider());
    } catch (ProviderException e) {
      out.println("Dry run: task " + task.taskId() + " cannot run here: " + e.getMessage());
      return 1;
    }
    String model = ProviderRegistry.resolveModel(task.llmModel(), config.flagModel(), provider);
    String prompt = PromptBuilder.build(task, 1, config.maxAttempts(), List.of());
    Invocation inv =
        provider.invocation(
            new RunRequest(
                prompt, model, config.worktreeBase().resolve(task.taskId()), task.description()));
    List<String> shown = new ArrayList<>();
    for (String arg : inv.argv()) {
      shown.add(arg.equals(prompt) ? "<prompt>" : quote(arg));
    }
    out.println(
        "Dry run on node "
            + config.nodeId()
            + ": task "
            + task.taskId()
            + " (not claimed, nothing run)");
    out.println("Provider: " + provider.name() + "   Model: " + (model == null ? "-" : model));
    out.println("Command: " + String.join(" ", shown));
    out.println("Directory: " + inv.cwd());
    out.println("----- prompt -----");
    out.print(prompt);
    out.println("----- end of prompt -----");
    return 0;
  }

  static Optional<Task> pick(List<Task> queued, String nodeId) {
    return queued.stream()
        .filter(t -> t.excludeNodes() == null || !t.excludeNodes().contains(nodeId))
        .filter(
            t ->
                t.preferredNodes() == null
                    || t.preferredNodes().isEmpty()
                    || t.preferredNodes().contains(nodeId))
        .min(
            Comparator.comparingInt(
                (Task t) ->
                    t.preferredNodes() != null && t.preferredNodes().contains(nodeId) ? 0 : 1));
  }

  /** Display only: this text is never given to a shell. */
  private static String quote(String arg) {
    return arg.matches("[A-Za-z0-9_./=:-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
  }
}
