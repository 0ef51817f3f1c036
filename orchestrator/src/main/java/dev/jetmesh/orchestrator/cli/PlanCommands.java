package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.plan.PlanModule;
import dev.jetmesh.orchestrator.plan.PlanView;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetmesh plan create|approve|abort|show|replay} (docs/plans.md). */
@Command(
    name = "plan",
    description = "Plans: a parent task split into subtasks that run wave by wave.",
    subcommands = {
      PlanCommands.Create.class,
      PlanCommands.Approve.class,
      PlanCommands.Abort.class,
      PlanCommands.Show.class,
      PlanCommands.Replay.class
    },
    footer = {"", "Example:", "  jetmesh plan create -f plan.yaml && jetmesh plan approve PLAN_ID"})
final class PlanCommands extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return Exit.USAGE;
  }

  @Command(
      name = "create",
      description = {
        "Create a plan (mesh.plans.create) from a JSON or YAML file.",
        "The file holds the wire's fields (docs/api.md, mesh.plans.create); options replace the"
            + " file's fields."
      },
      footer = {
        "",
        "Example:",
        "  jetmesh plan create -f plan.yaml --parent-task-id release-1 --budget-usd 5"
      })
  static final class Create extends WireCommand {
    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        required = true,
        description = "The plan: parent_task_id, title, subtasks[...] (JSON or YAML; - for stdin).")
    String file;

    @Option(names = "--parent-task-id", paramLabel = "TASK_ID", description = "The parent task.")
    @Nullable String parentTaskId;

    @Option(names = "--title", paramLabel = "TEXT", description = "The plan's title.")
    @Nullable String title;

    @Option(names = "--description", paramLabel = "TEXT", description = "What the plan is for.")
    @Nullable String description;

    @Option(
        names = "--no-approval",
        description = "Start at once (requires_approval false); default: wait for `plan approve`.")
    boolean noApproval;

    @Option(
        names = "--budget-usd",
        paramLabel = "DOLLARS",
        description = "Most all subtasks may cost together.")
    @Nullable BigDecimal budgetUsd;

    @Override
    public Integer call() {
      ObjectNode b = SpecFile.read(file, System.in);
      TaskOptions.put(b, "parent_task_id", parentTaskId);
      TaskOptions.put(b, "title", title);
      TaskOptions.put(b, "description", description);
      TaskOptions.put(b, "budget_usd", budgetUsd);
      if (noApproval) {
        b.put("requires_approval", false);
      }
      JsonNode p = request(Subjects.plans("create"), b);
      String id = p.path("plan_id").asText();
      answer(
          p,
          id,
          "created plan "
              + style().bold(id)
              + " ("
              + style().status(p.path("status").asText())
              + "): "
              + p.path("subtasks").size()
              + " subtasks in "
              + p.path("estimated_waves").asInt()
              + " waves\n"
              + (p.path("requires_approval").asBoolean() && p.path("approved_at").isNull()
                  ? "approve it: jetmesh plan approve " + id + "\n"
                  : "follow it: jetmesh watch plan " + id + "\n"));
      return Exit.OK;
    }
  }

  @Command(
      name = "approve",
      description =
          "Approve a plan that awaits approval: its first wave starts (mesh.plans.approve).",
      footer = {"", "Example:", "  jetmesh plan approve PLAN-release-1-1733390000000 --by alice"})
  static final class Approve extends WireCommand {
    @Parameters(index = "0", paramLabel = "PLAN_ID", description = "The plan.")
    String planId;

    @Option(names = "--by", paramLabel = "WHO", description = "Who approves (default: $USER).")
    @Nullable String by;

    @Override
    public Integer call() {
      Ids.require("plan_id", planId);
      ObjectNode b = CliJson.mapper().createObjectNode().put("plan_id", planId);
      b.put("approved_by", by != null ? by : cli().settings().user());
      JsonNode p = request(Subjects.plans("approve"), b);
      answer(
          p,
          planId,
          "approved " + planId + " (" + style().status(p.path("status").asText()) + ")\n");
      return Exit.OK;
    }
  }

  @Command(
      name = "abort",
      description = "Abort a plan: nothing more is dispatched (mesh.plans.abort).",
      footer = {
        "",
        "Example:",
        "  jetmesh plan abort PLAN-release-1-1733390000000 --reason 'wrong repo'"
      })
  static final class Abort extends WireCommand {
    @Parameters(index = "0", paramLabel = "PLAN_ID", description = "The plan.")
    String planId;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why (kept as the plan's abort reason).")
    @Nullable String reason;

    @Override
    public Integer call() {
      Ids.require("plan_id", planId);
      ObjectNode b = CliJson.mapper().createObjectNode().put("plan_id", planId);
      TaskOptions.put(b, "reason", reason);
      JsonNode p = request(Subjects.plans("abort"), b);
      answer(p, planId, "aborted " + planId + "\n");
      return Exit.OK;
    }
  }

  @Command(
      name = "show",
      description = "Show a plan: progress and subtasks by wave (GET /api/plans/{id}).",
      footer = {"", "Example:", "  jetmesh plan show PLAN-release-1-1733390000000"})
  static final class Show extends ReadCommand {
    @Parameters(index = "0", paramLabel = "PLAN_ID", description = "The plan.")
    String planId;

    @Override
    public Integer call() {
      Ids.require("plan_id", planId);
      JsonNode body = api().get("/api/plans/" + planId, Map.of());
      if (json()) {
        Output.json(out(), body);
        return Exit.OK;
      }
      print(render(body, style()));
      return Exit.OK;
    }

    static String render(JsonNode body, Style style) {
      JsonNode p = Progress.plan(body);
      String frame = String.join("\n", Progress.PLAN.frame(body, style)) + "\n";
      String fields =
          new Fields()
              .add("parent task", Fmt.text(p.path("parent_task_id")))
              .add("approved by", Fmt.text(p.path("approved_by")))
              .add("budget", Fmt.money(p.path("budget_usd")))
              .add("aborted", Fmt.text(p.path("abort_reason")))
              .render(style);
      Table t =
          new Table(
              Table.Column.right("WAVE"),
              Table.Column.left("SUBTASK"),
              Table.Column.status("STATUS"),
              Table.Column.left("MODE"),
              Table.Column.left("TASK"),
              Table.Column.left("DEPENDS ON"),
              Table.Column.wrapAt("TITLE", 40),
              Table.Column.wrapAt("WHY IT FAILED", 60));
      for (JsonNode w : body.path("waves")) {
        for (JsonNode s : w.path("subtasks")) {
          JsonNode mode = s.path("delegation").path("mode");
          t.row(
              Fmt.text(w.path("wave")),
              Fmt.text(s.path("subtask_id")),
              Fmt.text(s.path("status")),
              Fmt.text(mode.isMissingNode() ? s.path("mode") : mode),
              Fmt.text(s.has("task_id") ? s.path("task_id") : s.path("mesh_task_id")),
              Fmt.text(s.path("depends_on")),
              Fmt.text(s.path("title")),
              Fmt.text(failureReason(s)));
        }
      }
      return frame + fields + "\n" + t.render(style);
    }

    /**
     * The read API's {@code failure_reason}; for a subtask of {@code mesh.plans.get} (no such
     * field), the summary of a failed or blocked subtask's result.
     */
    private static JsonNode failureReason(JsonNode s) {
      if (s.has("failure_reason")) {
        return s.get("failure_reason");
      }
      String status = s.path("status").asText();
      return status.equals("failed") || status.equals("blocked")
          ? s.path("result").path("summary")
          : MissingNode.getInstance();
    }
  }

  /** Replays one plan's events from the stream: its history, then its DAG by wave. */
  @Command(
      name = "replay",
      description = "Replay a plan from the event stream: its history and its DAG by wave.",
      footer = {"", "Example:", "  jetmesh plan replay PLAN-release-1-1733390000000"})
  static final class Replay extends CliCommand {
    @Parameters(index = "0", paramLabel = "PLAN_ID", description = "The plan.")
    String planId;

    @Mixin StreamOptions source;

    @Mixin Output output;

    @Override
    public Integer call() throws Exception {
      Ids.require("plan_id", planId);
      List<StoredEvent> history = source.read(cli().settings(), Subjects.planEvents(planId));
      if (history.isEmpty()) {
        throw new RefusedException(
            ErrorCode.NOT_FOUND,
            "Plan " + planId + " not found in stream " + source.stream(cli().settings()));
      }
      PlanView view = PlanModule.view(history);
      if (output.json) {
        Output.json(out(), Json.mapper().valueToTree(view));
      } else {
        printReplay(view, out());
        out().flush();
      }
      return Exit.OK;
    }
  }

  static void printReplay(PlanView v, PrintWriter out) {
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
}
