package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.Subjects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetmesh node list|get|remove}: the {@code mesh.nodes.*} subjects for people. */
@Command(
    name = "node",
    description = "Worker nodes.",
    subcommands = {NodeCli.ListNodes.class, NodeCli.Get.class, NodeCli.Remove.class})
final class NodeCli implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("jetmesh node: name a subcommand (list, get, remove)");
    return 2;
  }

  @Command(name = "list", description = "List nodes (mesh.nodes.list).")
  static final class ListNodes extends ClientCommands.Base {
    @Option(names = "--status", description = "joined, stale or removed.")
    String status;

    @Override
    String subject() {
      return Subjects.nodes("list");
    }

    @Override
    ObjectNode body() {
      ObjectNode b = Json.mapper().createObjectNode();
      if (status != null) {
        b.put("status", status);
      }
      return b;
    }
  }

  @Command(name = "get", description = "Show one node (mesh.nodes.get).")
  static final class Get extends ClientCommands.Base {
    @Parameters(index = "0", paramLabel = "NODE_ID")
    String nodeId;

    @Override
    String subject() {
      return Subjects.nodes("get");
    }

    @Override
    ObjectNode body() {
      return Json.mapper().createObjectNode().put("node_id", nodeId);
    }
  }

  /** Removes a node for good: its task is requeued, its seats given up, its joins refused. */
  @Command(
      name = "remove",
      description =
          "Remove a node for good (mesh.nodes.remove): its task goes back to the queue, it leaves"
              + " its collaboration sessions, and its joins and claims are refused.")
  static final class Remove extends ClientCommands.Base {
    @Parameters(index = "0", paramLabel = "NODE_ID")
    String nodeId;

    @Option(
        names = "--by",
        defaultValue = "${env:USER:-cli}",
        description = "Who removes it (default: $USER).")
    String by;

    @Option(names = "--reason")
    String reason;

    @Override
    String subject() {
      return Subjects.nodes("remove");
    }

    @Override
    ObjectNode body() {
      ObjectNode b = Json.mapper().createObjectNode().put("node_id", nodeId);
      b.put("removed_by", by);
      if (reason != null) {
        b.put("reason", reason);
      }
      return b;
    }
  }
}
