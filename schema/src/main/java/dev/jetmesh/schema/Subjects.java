package dev.jetmesh.schema;

/**
 * Every NATS subject jetmesh uses. Request subjects and notification subjects are the reference
 * mesh's (REFERENCE.md section 1); event subjects are jetmesh's own: one subject per aggregate
 * instance, so that the expected-last-subject-sequence header guards each aggregate.
 */
public final class Subjects {
  public static final String DEFAULT_STREAM = "MESH_EVENTS";
  public static final String EVENTS_ALL = "mesh.evt.>";

  public static final String TASKS_PREFIX = "mesh.tasks.";
  public static final String TASKS_ALL = "mesh.tasks.*";

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

  /** {@code mesh.tasks.<op>}: a task command or query. */
  public static String tasks(String op) {
    return TASKS_PREFIX + op;
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
