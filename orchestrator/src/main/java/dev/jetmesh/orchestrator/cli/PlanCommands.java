package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.plan.PlanModule;
import dev.jetmesh.orchestrator.plan.PlanView;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetmesh plan show <plan_id>}: replays a plan from the stream (docs/plans.md). */
@Command(
    name = "plan",
    description = "Plans.",
    subcommands = {PlanCommands.Show.class})
final class PlanCommands {
  /** Replays one plan's events: its history, then its DAG by wave. */
  @Command(
      name = "show",
      aliases = "replay",
      description = "Replay a plan from the event stream: history and DAG by wave.")
  static final class Show implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PLAN_ID")
    String planId;

    @Mixin StreamOptions source;

    @Option(names = "--json", description = "Print the replay as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Ids.require("plan_id", planId);
      {
        List<StoredEvent> history = source.read(Subjects.planEvents(planId));
        if (history.isEmpty()) {
          System.err.println("jetmesh: Plan " + planId + " not found");
          return 1;
        }
        PlanView view = PlanModule.view(history);
        if (json) {
          System.out.println(
              Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(view));
        } else {
          print(view, System.out);
        }
        return 0;
      }
    }
  }

  static void print(PlanView v, PrintStream out) {
    var p = v.plan();
    out.printf(
        "plan %s  parent %s  status %s%s%n",
        p.planId(),
        p.parentTaskId(),
        p.status().wire(),
        p.success() == null ? "" : (p.success() ? " (success)" : " (failed)"));
    out.println("history:");
    for (PlanView.HistoryEntry h : v.history()) {
      out.printf(
          "  %6d  %s  %-26s %s  %s%n", h.seq(), h.occurredAt(), h.type(), h.actor(), h.payload());
    }
    out.println("waves:");
    for (PlanView.Wave w : v.waves()) {
      out.printf("  wave %d%n", w.wave());
      for (PlanView.Node n : w.subtasks()) {
        out.printf(
            "    %-40s %-11s %-10s deps=%s  %s%n",
            n.subtaskId(), n.mode(), n.status(), n.dependsOn(), n.title());
      }
    }
  }

  private PlanCommands() {}
}
