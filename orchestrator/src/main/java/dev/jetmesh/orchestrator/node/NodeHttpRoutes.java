package dev.jetmesh.orchestrator.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.api.Page;
import dev.jetmesh.orchestrator.api.QueryParams;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.model.Node;
import dev.jetmesh.schema.model.NodeStatus;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * The node slice's read routes: {@code GET /api/nodes} (paged, by node id) and {@code
 * /api/nodes/{node_id}}: the node's events and liveness (as {@code mesh.nodes.get}) plus {@code
 * current_work}, the tasks it holds. Thread-safe.
 */
final class NodeHttpRoutes {
  private final NodeRoutes routes;
  private final NodeHttpQueries reads;

  NodeHttpRoutes(NodeRoutes routes, NodeHttpQueries reads) {
    this.routes = routes;
    this.reads = reads;
  }

  void register(JavalinConfig cfg) {
    cfg.routes.get("/api/nodes", this::list);
    cfg.routes.get("/api/nodes/{node_id}", this::one);
  }

  private void list(Context c) {
    QueryParams q = QueryParams.of(c, "status", "limit", "cursor");
    Page<Node> page =
        reads.nodes(
            q.parsed("status", NodeStatus::fromWire), q.cursor(NodeHttpQueries.KIND, 1), q.limit());
    Map<String, List<NodeHttpQueries.Work>> work =
        reads.work(page.items().stream().map(Node::nodeId).toList());
    c.json(
        new Page<>(page.items().stream().map(n -> withWork(n, work)).toList(), page.nextCursor()));
  }

  private void one(Context c) {
    QueryParams.of(c);
    Node n = routes.view(routes.existing(QueryParams.pathId(c, "node_id")));
    c.json(withWork(n, reads.work(List.of(n.nodeId()))));
  }

  private static ObjectNode withWork(Node n, Map<String, List<NodeHttpQueries.Work>> work) {
    ObjectNode o = Json.mapper().valueToTree(n);
    o.set("current_work", Json.mapper().valueToTree(work.getOrDefault(n.nodeId(), List.of())));
    return o;
  }
}
