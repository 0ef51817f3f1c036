package dev.jetmesh.schema;

import org.jspecify.annotations.Nullable;

/**
 * Every NATS subject jetmesh uses. Request subjects and notification subjects are the reference
 * mesh's (REFERENCE.md section 1); event subjects are jetmesh's own: one subject per aggregate
 * instance, so that the expected-last-subject-sequence header guards each aggregate.
 */
public final class Subjects {
  public static final String DEFAULT_STREAM = "MESH_EVENTS";

  /** The object store bucket where workers keep attempt transcripts and the API reads them. */
  public static final String OUTPUTS_BUCKET = "MESH_OUTPUTS";

  public static final String EVENTS_ALL = "mesh.evt.>";

  public static final String TASKS_PREFIX = "mesh.tasks.";
  public static final String TASKS_ALL = "mesh.tasks.*";

  /**
   * Between orchestrators only: a request a standby orchestrator received, forwarded to the primary
   * (the one that projects and holds the claim index; it alone subscribes) on this prefix followed
   * by the request's own subject, e.g. {@code mesh.orchestrator.fwd.mesh.tasks.claim}.
   */
  public static final String FORWARDED_PREFIX = "mesh.orchestrator.fwd.";

  /**
   * Between orchestrators only: the primary says it is alive, twice a second; standbys that hear it
   * leave the request queue group.
   */
  public static final String PRIMARY_BEAT = "mesh.orchestrator.primary";

  public static final String COLLAB_PREFIX = "mesh.collab.";

  /**
   * Collab requests ({@code mesh.collab.<op>}). One token: the per-session subjects below have more
   * and are not requests.
   */
  public static final String COLLAB_ALL = "mesh.collab.*";

  /** Every session's recruit broadcast, for workers. */
  public static final String COLLAB_RECRUITS = "mesh.collab.*.recruit";

  public static final String PLANS_PREFIX = "mesh.plans.";
  public static final String PLANS_ALL = "mesh.plans.>";

  public static final String NODES_PREFIX = "mesh.nodes.";
  public static final String NODES_ALL = "mesh.nodes.*";

  /** Every node's health beat ({@code mesh.health.<node>}): published, never a request. */
  public static final String HEALTH_ALL = "mesh.health.*";

  private static final String HEALTH_PREFIX = "mesh.health.";

  /**
   * Every node-scoped request ({@code mesh.as.<node>.<family>.<op>}): a worker's request sent on a
   * subject that names the node, so that the NATS server's publish permissions, not the body,
   * decide who the sender is (docs/security.md).
   */
  public static final String AS_NODE_ALL = "mesh.as.*.>";

  private static final String AS_NODE_PREFIX = "mesh.as.";

  private Subjects() {}

  /** {@code mesh.evt.task.<task_id>}: the history of one task. */
  public static String taskEvents(String taskId) {
    return "mesh.evt.task." + Ids.require("task_id", taskId);
  }

  /** {@code mesh.evt.collab.<session_id>}: the history of one collaboration session. */
  public static String collabEvents(String sessionId) {
    return "mesh.evt.collab." + Ids.require("session_id", sessionId);
  }

  /** {@code mesh.evt.plan.<plan_id>}: the history of one plan. */
  public static String planEvents(String planId) {
    return "mesh.evt.plan." + Ids.require("plan_id", planId);
  }

  /** {@code mesh.evt.node.<node_id>}: the history of one worker node. */
  public static String nodeEvents(String nodeId) {
    return "mesh.evt.node." + Ids.require("node_id", nodeId);
  }

  /** {@code mesh.nodes.<op>}: a node command or query ({@code join}, {@code get}, …). */
  public static String nodes(String op) {
    return NODES_PREFIX + op;
  }

  /** {@code mesh.health.<node>}: where a node publishes its health beat. */
  public static String health(String nodeId) {
    return HEALTH_PREFIX + Ids.require("node_id", nodeId);
  }

  /**
   * The node id of a {@code mesh.health.<node>} subject, or null when the subject is not one (or
   * its last token is not a valid id).
   */
  public static @Nullable String nodeOfHealth(@Nullable String subject) {
    if (subject == null || !subject.startsWith(HEALTH_PREFIX)) {
      return null;
    }
    String node = subject.substring(HEALTH_PREFIX.length());
    return Ids.isValid(node) ? node : null;
  }

  /**
   * {@code mesh.as.<node>.<rest>} for a request subject {@code mesh.<rest>}: the same request, sent
   * as node {@code nodeId} (e.g. {@code mesh.tasks.claim} becomes {@code mesh.as.w1.tasks.claim}).
   */
  public static String asNode(String nodeId, String subject) {
    if (!subject.startsWith("mesh.")) {
      throw new IllegalArgumentException("not a mesh subject: " + subject);
    }
    return AS_NODE_PREFIX + Ids.require("node_id", nodeId) + subject.substring("mesh".length());
  }

  /**
   * The node and the plain request subject of a {@code mesh.as.<node>.<rest>} subject, or null when
   * the subject is not one (or its node token is not a valid id).
   */
  public static @Nullable AsNode parseAsNode(@Nullable String subject) {
    if (subject == null || !subject.startsWith(AS_NODE_PREFIX)) {
      return null;
    }
    int dot = subject.indexOf('.', AS_NODE_PREFIX.length());
    if (dot < 0 || dot == subject.length() - 1) {
      return null;
    }
    String node = subject.substring(AS_NODE_PREFIX.length(), dot);
    return Ids.isValid(node) ? new AsNode(node, "mesh" + subject.substring(dot)) : null;
  }

  /** A node-scoped request subject, split: who sends it and what it asks. */
  public record AsNode(String nodeId, String subject) {}

  /** {@code mesh.tasks.<op>}: a task command or query. */
  public static String tasks(String op) {
    return TASKS_PREFIX + op;
  }

  /** {@code mesh.collab.<op>}: a collaboration command or query. */
  public static String collab(String op) {
    return COLLAB_PREFIX + op;
  }

  /** {@code mesh.collab.<sid>.recruit}: a session's recruit broadcast. */
  public static String collabRecruit(String sessionId) {
    return COLLAB_PREFIX + Ids.require("session_id", sessionId) + ".recruit";
  }

  /** {@code mesh.collab.<sid>.node.<nid>.round}: a node's round notification. */
  public static String collabRound(String sessionId, String nodeId) {
    return COLLAB_PREFIX
        + Ids.require("session_id", sessionId)
        + ".node."
        + Ids.require("node_id", nodeId)
        + ".round";
  }

  /** {@code mesh.events.collab.<type>}: the reference's session notification. */
  public static String collabNotification(String type) {
    return "mesh.events.collab." + type;
  }

  /** {@code mesh.plans.<op>}: a plan command or query. */
  public static String plans(String op) {
    return PLANS_PREFIX + op;
  }

  /** {@code mesh.events.plan.<type>}: the reference's plan notification. */
  public static String planNotification(String type) {
    return "mesh.events.plan." + type;
  }

  /** {@code mesh.events.<type>}: the reference's task notification. */
  public static String taskNotification(String type) {
    return "mesh.events." + type;
  }

  /** {@code mesh.agent.<node>.alive}: the alive check a worker answers. */
  public static String agentAlive(String nodeId) {
    return "mesh.agent." + Ids.require("node_id", nodeId) + ".alive";
  }

  /** {@code mesh.agent.<node>.stall} or {@code .budget_exceeded}: a notice to the owner. */
  public static String agentNotice(String nodeId, String notice) {
    return "mesh.agent." + Ids.require("node_id", nodeId) + "." + notice;
  }
}
