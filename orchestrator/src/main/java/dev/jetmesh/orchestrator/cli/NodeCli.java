package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Subjects;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetmesh nodes} and {@code jetmesh node list|show|remove}: the worker nodes. */
@Command(
    name = "node",
    description = "Worker nodes: list them, show one, remove one.",
    subcommands = {NodeCli.ListNodes.class, NodeCli.Show.class, NodeCli.Remove.class},
    footer = {"", "Example:", "  jetmesh node remove worker-7 --reason 'disk failed'"})
final class NodeCli extends CliCommand {
  @Override
  public Integer call() {
    spec.commandLine().usage(err());
    return Exit.USAGE;
  }

  @Command(
      name = "nodes",
      description = "List worker nodes with their health and current work (GET /api/nodes).",
      footer = {"", "Examples:", "  jetmesh nodes", "  jetmesh nodes --status stale --json"})
  static class Nodes extends ReadCommand {
    @Option(names = "--status", paramLabel = "STATUS", description = "joined, stale or removed.")
    @Nullable String status;

    @Override
    public Integer call() {
      JsonNode page = api().get("/api/nodes", status == null ? Map.of() : Map.of("status", status));
      if (json()) {
        Output.json(out(), page);
        return Exit.OK;
      }
      JsonNode items = page.isArray() ? page : page.path("items");
      Table t =
          new Table(
              Table.Column.left("NODE"),
              Table.Column.status("STATUS"),
              Table.Column.left("LAST SEEN (UTC)"),
              Table.Column.right("LOAD"),
              Table.Column.right("MEM FREE"),
              Table.Column.right("DISK"),
              Table.Column.left("PROVIDERS"),
              Table.Column.left("CURRENT TASK"));
      for (JsonNode n : items) {
        JsonNode h = n.path("health");
        t.row(
            Fmt.text(n.path("node_id")),
            Fmt.text(n.path("status")),
            Fmt.time(n.path("last_seen")),
            Fmt.text(h.path("cpu").path("load1")),
            memFree(h.path("mem")),
            h.path("disk_percent").isNumber() ? h.get("disk_percent").asText() + "%" : "-",
            Fmt.text(n.path("providers").isArray() ? n.get("providers") : h.path("providers")),
            Fmt.text(
                n.hasNonNull("current_task") ? n.get("current_task") : h.path("current_task")));
      }
      print(t.render(style()));
      return Exit.OK;
    }

    private static String memFree(JsonNode mem) {
      if (!mem.path("free_bytes").isNumber()) {
        return "-";
      }
      return Math.round(mem.get("free_bytes").asDouble() / (1 << 20)) + " MiB";
    }
  }

  @Command(
      name = "list",
      description = "List worker nodes (the same as `jetmesh nodes`).",
      footer = {"", "Example:", "  jetmesh node list --status joined"})
  static final class ListNodes extends Nodes {}

  @Command(
      name = "show",
      aliases = "get",
      description = "Show one node: status, health, current work (GET /api/nodes/{id}).",
      footer = {"", "Example:", "  jetmesh node show worker-7"})
  static final class Show extends ReadCommand {
    @Parameters(index = "0", paramLabel = "NODE_ID", description = "The node.")
    String nodeId;

    @Override
    public Integer call() {
      Ids.require("node_id", nodeId);
      JsonNode n = api().get("/api/nodes/" + nodeId, Map.of());
      if (json()) {
        Output.json(out(), n);
        return Exit.OK;
      }
      JsonNode h = n.path("health");
      print(
          new Fields()
              .add("node", Fmt.text(n.path("node_id")))
              .add("status", Fmt.text(n.path("status")))
              .add("last seen", Fmt.time(n.path("last_seen")))
              .add("joined", Fmt.time(n.path("joined_at")))
              .add("providers", Fmt.text(n.path("providers")))
              .add("capabilities", Fmt.text(n.path("capabilities")))
              .add("current task", Fmt.text(n.path("current_task")))
              .add("load", Fmt.text(h.path("cpu").path("load1")))
              .add("removed", Fmt.time(n.path("removed_at")))
              .add("removed by", Fmt.text(n.path("removed_by")))
              .add("reason", Fmt.text(n.path("removed_reason")))
              .render(style()));
      return Exit.OK;
    }
  }

  /** Removes a node for good: its task is requeued, its seats given up, its joins refused. */
  @Command(
      name = "remove",
      description = {
        "Remove a node for good (mesh.nodes.remove).",
        "Its task goes back to the queue, it leaves its collaboration sessions, and its joins and"
            + " claims are refused."
      },
      footer = {"", "Example:", "  jetmesh node remove worker-7 --reason 'disk failed'"})
  static final class Remove extends WireCommand {
    @Parameters(index = "0", paramLabel = "NODE_ID", description = "The node.")
    String nodeId;

    @Option(names = "--by", paramLabel = "WHO", description = "Who removes it (default: $USER).")
    @Nullable String by;

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        description = "Why (kept in the node's history).")
    @Nullable String reason;

    @Option(
        names = "--force",
        description =
            "Remove the name even if no such node ever joined or held a task (otherwise refused"
                + " as not found, so that a typo cannot block a name for good).")
    boolean force;

    @Override
    public Integer call() {
      Ids.require("node_id", nodeId);
      ObjectNode b = CliJson.mapper().createObjectNode().put("node_id", nodeId);
      b.put("removed_by", by != null ? by : cli().settings().user());
      TaskOptions.put(b, "reason", reason);
      if (force) {
        b.put("force", true);
      }
      JsonNode r = request(Subjects.nodes("remove"), b);
      JsonNode q = r.path("requeued_tasks");
      answer(
          r,
          nodeId,
          "removed " + nodeId + (q.isEmpty() ? "" : "; back in the queue: " + Fmt.text(q)) + "\n");
      return Exit.OK;
    }
  }
}
