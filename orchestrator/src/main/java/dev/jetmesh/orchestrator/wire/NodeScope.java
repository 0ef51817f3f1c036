package dev.jetmesh.orchestrator.wire;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Node-scoped requests ({@code mesh.as.<node>.<family>.<op>}): the sender's identity comes from the
 * subject, which the NATS server lets only that node's user publish on (docs/security.md), never
 * from the body. This class binds the body to that identity: a {@code node_id} naming another node
 * is refused with {@link ErrorCode#NOT_OWNER}, a missing one is filled in, so that a node-scoped
 * command is always fenced as the node that sent it. Only what a worker needs is served this way.
 * Stateless and thread-safe.
 */
final class NodeScope {
  /** Commands that act as a node: their body's {@code node_id} is the sender's. */
  private static final Set<String> ACTS_AS_NODE =
      Set.of(
          Subjects.tasks("claim"),
          Subjects.tasks("start"),
          Subjects.tasks("attempt"),
          Subjects.tasks("heartbeat"),
          Subjects.tasks("complete"),
          Subjects.tasks("fail"),
          Subjects.tasks("release"),
          Subjects.collab("join"),
          Subjects.collab("leave"),
          Subjects.collab("reflect"),
          Subjects.collab("vote"),
          Subjects.collab("assignment"),
          Subjects.nodes("join"));

  /** Reads a worker may also send on its own subjects; they act as nobody. */
  private static final Set<String> READS =
      Set.of(
          Subjects.tasks("get"),
          Subjects.tasks("list"),
          Subjects.collab("status"),
          Subjects.collab("find"),
          Subjects.collab("recruiting"));

  private NodeScope() {}

  /** Every plain request subject that may be sent node-scoped. */
  static Set<String> served() {
    Set<String> all = new TreeSet<>(ACTS_AS_NODE);
    all.addAll(READS);
    return all;
  }

  /** True when {@code subject} (a plain request subject) may be sent node-scoped. */
  static boolean serves(String subject) {
    return ACTS_AS_NODE.contains(subject) || READS.contains(subject);
  }

  /**
   * The body the handler of {@code as.subject()} gets: with {@code node_id} set to the sender when
   * the command acts as a node. A body that is not a JSON object is handed on as it is, for the
   * handler to refuse with its usual error.
   *
   * @throws MeshException {@code NOT_OWNER} when the body names another node
   */
  static byte[] bind(Subjects.AsNode as, byte[] body) {
    JsonNode tree;
    try {
      // an empty body is {} (the reference's rule), so it is bound to the sender like any other
      tree =
          new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()
              ? Json.mapper().createObjectNode()
              : Json.mapper().readTree(body);
    } catch (IOException e) {
      return body;
    }
    if (!(tree instanceof ObjectNode o)) {
      return body;
    }
    JsonNode claimed = o.get("node_id");
    if (claimed != null && !claimed.isNull()) {
      if (!claimed.isTextual() || !claimed.textValue().equals(as.nodeId())) {
        throw new MeshException(
            ErrorCode.NOT_OWNER,
            "node_id "
                + abbreviate(claimed.toString())
                + " is not the sender: node "
                + as.nodeId()
                + " may act only as itself");
      }
      return body;
    }
    if (!ACTS_AS_NODE.contains(as.subject())) {
      return body;
    }
    o.put("node_id", as.nodeId());
    try {
      return Json.mapper().writeValueAsBytes(o);
    } catch (IOException e) {
      throw new IllegalStateException("cannot re-encode a decoded request", e);
    }
  }

  /** A hostile value, cut short for an error message. */
  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "…";
  }
}
