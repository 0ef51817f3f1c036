package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Subjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Tasks: {@code submit} and {@code cancel} over the wire; {@code tasks}, {@code show}, {@code
 * attempts} from the read API.
 */
final class TaskCommands {
  private TaskCommands() {}

  @Command(
      name = "submit",
      description = "Submit a task (mesh.tasks.submit), from options or a JSON/YAML file.",
      footer = {
        "",
        "Examples:",
        "  jetmesh submit --task-id hello --title 'Say hello' -d 'echo hello > hello.txt'",
        "  jetmesh submit -f task.yaml --priority 5",
        "  jetmesh submit --title Refactor -d '...' --collab review --nodes 3"
      })
  static final class Submit extends WireCommand {
    @Mixin TaskOptions task;

    @Override
    public Integer call() {
      ObjectNode body = task.body(System.in, false);
      JsonNode t = request(Subjects.tasks("submit"), body);
      answer(t, t.path("task_id").asText(), submitted(t, style()));
      return Exit.OK;
    }
  }

  /** What {@code submit} and {@code collab start} print for the task the mesh stored. */
  static String submitted(JsonNode t, Style style) {
    String id = t.path("task_id").asText();
    StringBuilder sb =
        new StringBuilder("submitted ")
            .append(style.bold(id))
            .append(" (")
            .append(style.status(t.path("status").asText()))
            .append(")\n");
    if (t.hasNonNull("collab_session_id")) {
      JsonNode c = t.path("collaboration");
      sb.append("collaboration session ")
          .append(t.get("collab_session_id").asText())
          .append(" (")
          .append(c.path("mode").asText("parallel"))
          .append(")\n");
    }
    return sb.append("follow it: jetmesh watch task ").append(id).append('\n').toString();
  }

  @Command(
      name = "cancel",
      description = "Cancel a task that has not ended (mesh.tasks.cancel).",
      footer = {"", "Example:", "  jetmesh cancel hello --reason 'not needed'"})
  static final class Cancel extends WireCommand {
    @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task to cancel.")
    String taskId;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why (kept in the task's result).")
    @Nullable String reason;

    @Override
    public Integer call() {
      Ids.require("task_id", taskId);
      ObjectNode b = CliJson.mapper().createObjectNode().put("task_id", taskId);
      TaskOptions.put(b, "reason", reason);
      JsonNode t = request(Subjects.tasks("cancel"), b);
      answer(t, taskId, "cancelled " + taskId + "\n");
      return Exit.OK;
    }
  }

  @Command(
      name = "tasks",
      aliases = "list",
      description = "List tasks (GET /api/tasks).",
      footer = {
        "",
        "Examples:",
        "  jetmesh tasks --status running",
        "  jetmesh tasks --order newest --limit 3",
        "  jetmesh tasks --tag docs --since 2025-01-01T00:00:00Z --json"
      })
  static final class Tasks extends ReadCommand {
    @Option(
        names = "--status",
        paramLabel = "STATUS",
        description = "queued, claimed, running, completed, failed, released or cancelled.")
    @Nullable String status;

    @Option(names = "--owner", paramLabel = "NODE_ID", description = "Held by this node.")
    @Nullable String owner;

    @Option(names = "--tag", paramLabel = "TAG", description = "Carrying this tag.")
    @Nullable String tag;

    @Option(names = "--plan", paramLabel = "PLAN_ID", description = "Subtasks of this plan.")
    @Nullable String plan;

    @Option(names = "--session", paramLabel = "SESSION_ID", description = "Of this session.")
    @Nullable String session;

    @Option(names = "--since", paramLabel = "ISO", description = "Submitted at or after.")
    @Nullable String since;

    @Option(
        names = "--order",
        paramLabel = "ORDER",
        description =
            "The order of the list: claim (the default, as workers claim), newest (most recently"
                + " submitted first) or updated (most recently changed first).")
    @Nullable String order;

    @Mixin Paging paging;

    @Override
    public Integer call() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("order", order);
      q.put("status", status);
      q.put("owner", owner);
      q.put("tag", tag);
      q.put("plan", plan);
      q.put("session", session);
      q.put("since", since);
      ObjectNode page = paging.fetch(api(), "/api/tasks", q);
      if (json()) {
        Output.json(out(), page);
        return Exit.OK;
      }
      Table t =
          new Table(
              Table.Column.left("TASK"),
              Table.Column.status("STATUS"),
              Table.Column.wrapAt("TITLE", 40),
              Table.Column.left("OWNER"),
              Table.Column.right("ATTEMPTS"),
              Table.Column.right("COST"),
              Table.Column.left("UPDATED (UTC)"));
      for (JsonNode x : page.path("items")) {
        t.row(
            Fmt.text(x.path("task_id")),
            Fmt.text(x.path("status")),
            Fmt.text(x.path("title")),
            Fmt.text(x.path("owner")),
            Fmt.text(x.path("attempts")),
            Fmt.money(x.path("cost_usd")),
            Fmt.time(x.path("updated_at")));
      }
      print(t.render(style()));
      paging.hint(err(), page, "tasks");
      return Exit.OK;
    }
  }

  @Command(
      name = "show",
      aliases = "get",
      description = "Show one task with its attempts (GET /api/tasks/{id}).",
      footer = {"", "Example:", "  jetmesh show hello"})
  static final class Show extends ReadCommand {
    @Parameters(index = "0", paramLabel = "TASK_ID", description = "The task.")
    String taskId;

    @Override
    public Integer call() {
      Ids.require("task_id", taskId);
      JsonNode t = api().get("/api/tasks/" + taskId, Map.of());
      if (json()) {
        Output.json(out(), t);
        return Exit.OK;
      }
      print(task(t, style()));
      JsonNode attempts = t.path("attempts");
      if (attempts.isArray() && !attempts.isEmpty()) {
        print("\n" + Attempts.table(attempts, false).render(style()));
        int n = 0;
        for (JsonNode a : attempts) {
          n++;
          if (a.path("links").path("output").isTextual()) {
            print(
                "transcript of attempt "
                    + n
                    + ": "
                    + api().base()
                    + a.path("links").path("output").asText()
                    + "\n");
          }
        }
      }
      return Exit.OK;
    }

    static String task(JsonNode t, Style style) {
      JsonNode r = t.path("result");
      return new Fields()
          .add("task", Fmt.text(t.path("task_id")))
          .add("title", Fmt.text(t.path("title")))
          .add("status", Fmt.text(t.path("status")))
          .add("owner", Fmt.text(t.path("owner")))
          .add("priority", Fmt.text(t.path("priority")))
          .add("provider", Fmt.text(t.path("llm_provider")))
          .add("model", Fmt.text(t.path("llm_model")))
          .add("tags", Fmt.text(t.path("tags")))
          .add("depends on", Fmt.text(t.path("depends_on")))
          .add("session", Fmt.text(t.path("session_id")))
          .add("plan", Fmt.text(t.path("plan_id")))
          .add("metric", Fmt.text(t.path("metric")))
          .add("budget", budget(t))
          .add("cost", Fmt.money(t.path("cost_usd")))
          .add("submitted", Fmt.time(t.path("created_at")))
          .add("completed", Fmt.time(t.path("completed_at")))
          .add("result", r.isObject() ? Fmt.text(r.path("summary")) : Fmt.text(r))
          .add("description", Fmt.text(t.path("description")))
          .render(style);
    }

    private static String budget(JsonNode t) {
      String m = t.hasNonNull("budget_minutes") ? t.get("budget_minutes").asText() + " min" : "";
      String u = t.hasNonNull("budget_usd") ? Fmt.money(t.get("budget_usd")) : "";
      return (m + (m.isEmpty() || u.isEmpty() ? "" : ", ") + u);
    }
  }

  @Command(
      name = "attempts",
      description = "List attempts across tasks, latest first (GET /api/attempts).",
      footer = {
        "",
        "Examples:",
        "  jetmesh attempts --task hello",
        "  jetmesh attempts --provider claude --outcome failed --json"
      })
  static final class Attempts extends ReadCommand {
    @Option(names = "--task", paramLabel = "TASK_ID", description = "Of this task.")
    @Nullable String task;

    @Option(names = "--provider", paramLabel = "NAME", description = "Run by this provider.")
    @Nullable String provider;

    @Option(names = "--model", paramLabel = "NAME", description = "With this model.")
    @Nullable String model;

    @Option(names = "--node", paramLabel = "NODE_ID", description = "On this node.")
    @Nullable String node;

    @Option(
        names = "--outcome",
        paramLabel = "OUTCOME",
        description = "kept, metric_failed or failed.")
    @Nullable String outcome;

    @Option(names = "--since", paramLabel = "ISO", description = "Ended at or after.")
    @Nullable String since;

    @Mixin Paging paging;

    @Override
    public Integer call() {
      Map<String, Object> q = new LinkedHashMap<>();
      q.put("task", task);
      q.put("provider", provider);
      q.put("model", model);
      q.put("node", node);
      q.put("outcome", outcome);
      q.put("since", since);
      ObjectNode page = paging.fetch(api(), "/api/attempts", q);
      if (json()) {
        Output.json(out(), page);
        return Exit.OK;
      }
      print(table(page.path("items"), true).render(style()));
      paging.hint(err(), page, "attempts");
      return Exit.OK;
    }

    static Table table(JsonNode attempts, boolean withTask) {
      List<Table.Column> columns = new ArrayList<>();
      if (withTask) {
        columns.add(Table.Column.left("TASK"));
      }
      columns.addAll(
          List.of(
              Table.Column.right("#"),
              Table.Column.left("NODE"),
              Table.Column.left("PROVIDER"),
              Table.Column.left("MODEL"),
              Table.Column.status("OUTCOME"),
              Table.Column.right("EXIT"),
              Table.Column.right("TIME"),
              Table.Column.right("SCORE"),
              Table.Column.right("TOKENS"),
              Table.Column.right("COST")));
      Table t = new Table(columns.toArray(Table.Column[]::new));
      for (JsonNode a : attempts) {
        Object[] cells = {
          Fmt.text(a.path("attempt")),
          Fmt.text(a.path("node_id")),
          Fmt.text(a.path("provider")),
          Fmt.text(a.path("model")),
          outcome(a),
          Fmt.text(a.path("exit_code")),
          Fmt.duration(a.path("duration_ms")),
          Fmt.text(a.path("metric_score")),
          Fmt.tokens(a),
          Fmt.money(a.path("cost_usd"))
        };
        if (withTask) {
          Object[] w = new Object[cells.length + 1];
          w[0] = Fmt.text(a.path("task_id"));
          System.arraycopy(cells, 0, w, 1, cells.length);
          cells = w;
        }
        t.row(cells);
      }
      return t;
    }

    private static String outcome(JsonNode a) {
      if (a.hasNonNull("outcome")) {
        return a.get("outcome").asText();
      }
      return a.has("keep") ? (a.path("keep").asBoolean() ? "kept" : "discarded") : "-";
    }
  }
}
