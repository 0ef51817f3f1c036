package dev.jetmesh.orchestrator.node;

import static dev.jetmesh.orchestrator.wire.RequestDecoder.blank;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.decode;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.requiredId;
import static dev.jetmesh.orchestrator.wire.RequestDecoder.stringList;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.aggregate.CommandRejectedException;
import dev.jetmesh.orchestrator.module.TaskPort;
import dev.jetmesh.orchestrator.projection.Watermark;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.wire.RequestRouter;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.model.Node;
import dev.jetmesh.schema.model.NodeStatus;
import dev.jetmesh.schema.model.TaskSpec;
import dev.jetmesh.schema.wire.NodeRequests;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The {@code mesh.nodes.*} subjects: join (with the token check), get, list and remove. Decodes
 * strictly, runs commands through {@link NodeCommandHandler} and shapes the replies. Thread-safe.
 */
final class NodeRoutes {
  /** Most providers or capabilities a node may list, and the longest name of one. */
  static final int MAX_TAGS = 64;

  static final int MAX_TAG_LENGTH = 200;
  static final int MAX_REASON_LENGTH = 2000;
  static final String DEFAULT_REMOVED_BY = "client";
  private static final int LIST_LIMIT = 1000;
  private static final Duration READ_YOUR_WRITES_WAIT = Duration.ofSeconds(2);

  private final NodeCommandHandler nodes;
  private final NodeQueries queries;
  private final JoinTokens tokens;
  private final TaskPort tasks;
  private final NodeMembership membership;
  private final EventStore store;
  private final Watermark watermark;
  private final Clock clock;

  /**
   * @param membership told of every node this process joins or removes, as it happens
   */
  NodeRoutes(
      NodeCommandHandler nodes,
      NodeQueries queries,
      JoinTokens tokens,
      TaskPort tasks,
      NodeMembership membership,
      EventStore store,
      Watermark watermark,
      Clock clock) {
    this.nodes = nodes;
    this.queries = queries;
    this.tokens = tokens;
    this.tasks = tasks;
    this.membership = membership;
    this.store = store;
    this.watermark = watermark;
    this.clock = clock;
  }

  void register(RequestRouter router) {
    router
        .route(Subjects.nodes("join"), this::join)
        .route(Subjects.nodes("get"), this::get)
        .route(Subjects.nodes("list"), this::list)
        .route(Subjects.nodes("remove"), this::remove);
  }

  Node join(byte[] body) {
    NodeRequests.Join r = decode(body, NodeRequests.Join.class);
    String id = requiredId("node_id", r.nodeId());
    JsonNode host = TaskSpec.jsonOrNull(r.host());
    if (host != null && !host.isObject()) {
      throw new InvalidRequestException("Field 'host' must be an object");
    }
    NodeCommand.JoinNode join =
        new NodeCommand.JoinNode(
            id,
            tags("providers", r.providers()),
            tags("capabilities", r.capabilities()),
            host,
            tokens.verify(r.token(), clock.instant()));
    NodeState s =
        requireNonNull(nodes.handle(join, id, requestId(), null).state(), "a node after its join");
    membership.joined(id);
    return view(s);
  }

  /** The node from its events (read-your-writes), with the liveness the read model keeps. */
  Node get(byte[] body) {
    NodeRequests.Ref r = decode(body, NodeRequests.Ref.class);
    return view(existing(requiredId("node_id", r.nodeId())));
  }

  /** Answered from Postgres once the projector has passed this process's last append (bounded). */
  List<Node> list(byte[] body) throws InterruptedException {
    NodeRequests.ListNodes r = decode(body, NodeRequests.ListNodes.class);
    NodeStatus status = r.status() == null ? null : NodeStatus.fromWire(r.status());
    watermark.awaitAtLeast(store.highestAppended(), READ_YOUR_WRITES_WAIT);
    return queries.list(status, LIST_LIMIT);
  }

  /** Removes the node, then sends the task it holds back to the queue. */
  NodeRequests.Removed remove(byte[] body) {
    NodeRequests.Remove r = decode(body, NodeRequests.Remove.class);
    String id = requiredId("node_id", r.nodeId());
    String by =
        blank(r.removedBy())
            ? DEFAULT_REMOVED_BY
            : text("removed_by", r.removedBy(), MAX_TAG_LENGTH);
    String reason = r.reason() == null ? null : text("reason", r.reason(), MAX_REASON_LENGTH);
    boolean force = Boolean.TRUE.equals(r.force());
    String request = requestId();
    NodeCommand.RemoveNode command =
        new NodeCommand.RemoveNode(id, by, reason, !force && worked(id), force);
    NodeState s =
        requireNonNull(
            nodes.handle(command, by, request, null).state(), "a node after its removal");
    membership.removed(id);
    List<String> requeued = tasks.requeueHeldBy(id, by, s.removedReason(), by, request);
    return new NodeRequests.Removed(view(s), requeued);
  }

  /**
   * Whether a node with no events is known by its work; asked only of such nodes, after the read
   * models have caught up with this process's writes (bounded), so a claim just made counts.
   */
  private boolean worked(String id) {
    if (nodes.current(id) != null) {
      return false; // known by its events; the decider does not ask
    }
    try {
      watermark.awaitAtLeast(store.highestAppended(), READ_YOUR_WRITES_WAIT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading node " + id, e);
    }
    return queries.hasWorked(id);
  }

  NodeState existing(String id) {
    NodeState s = nodes.current(id);
    if (s == null) {
      throw new CommandRejectedException(ErrorCode.NOT_FOUND, "Node " + id + " not found");
    }
    return s;
  }

  /** The node's state with its liveness; before the first projection, it was last seen joining. */
  Node view(NodeState s) {
    return queries
        .liveness(s.nodeId())
        .map(l -> s.view(l.lastSeen(), l.currentTask(), l.health()))
        .orElseGet(() -> s.view(s.joinedAt(), null, null));
  }

  private static List<String> tags(String field, List<String> in) {
    List<String> out = stringList(field, in, false);
    if (out.size() > MAX_TAGS) {
      throw new InvalidRequestException(
          "Too many " + field + ": " + out.size() + " (max " + MAX_TAGS + ")");
    }
    for (String t : out) {
      text(field + " entry", t, MAX_TAG_LENGTH);
      if (t.isBlank()) {
        throw new InvalidRequestException("Field '" + field + "' must not contain blank entries");
      }
    }
    return out;
  }

  private static String text(String field, String value, int max) {
    if (value.length() > max) {
      throw new InvalidRequestException(
          field + " is too long: " + value.length() + " characters (max " + max + ")");
    }
    return value;
  }

  private static String requestId() {
    return Ids.randomUuid().toString();
  }
}
