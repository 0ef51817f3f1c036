package dev.jetmesh.schema.events;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.NodeEvent.NodeCameBack;
import dev.jetmesh.schema.events.NodeEvent.NodeJoined;
import dev.jetmesh.schema.events.NodeEvent.NodeRemoved;
import dev.jetmesh.schema.events.NodeEvent.NodeWentStale;
import java.time.Instant;
import java.util.List;

/** Realistic instances of every node event, as the node decider shapes them. */
final class NodeSamples {
  private NodeSamples() {}

  static List<MeshEvent> all() {
    ObjectNode host =
        Json.mapper()
            .createObjectNode()
            .put("hostname", "build-box-3")
            .put("platform", "linux")
            .put("arch", "amd64")
            .put("cpus", 16)
            .put("memory_bytes", 68_719_476_736L)
            .put("version", "0.1.0");
    Instant joined = Instant.parse("2025-06-02T08:00:00.000Z");
    return List.of(
        new NodeJoined(
            "node-a",
            List.of("claude", "ollama", "shell"),
            List.of("gpu", "docker"),
            host,
            "3f1c2a9e-8d7b-4c55-9d61-2f0f1f4b7a10",
            joined),
        new NodeJoined("node-b", List.of(), List.of(), null, null, joined),
        new NodeWentStale(Instant.parse("2025-06-02T08:10:00.000Z"), 95, 90),
        new NodeCameBack(Instant.parse("2025-06-02T08:12:30.500Z")),
        new NodeRemoved("alice", "decommissioned: disk failing"),
        new NodeRemoved("cli", null));
  }
}
