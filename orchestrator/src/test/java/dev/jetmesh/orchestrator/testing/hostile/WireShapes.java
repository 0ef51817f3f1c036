package dev.jetmesh.orchestrator.testing.hostile;

import dev.jetmesh.orchestrator.testing.hostile.HostileFixtures.Known;
import dev.jetmesh.schema.wire.CollabRequests;
import dev.jetmesh.schema.wire.NodeRequests;
import dev.jetmesh.schema.wire.PlanRequests;
import dev.jetmesh.schema.wire.TaskRequests;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Every request subject the orchestrator serves, with the record its body binds to, the fields that
 * are ids (they become subject tokens), and a base body aimed at the fixtures. Where it can, the
 * base is a request the orchestrator would <em>accept</em> (a fresh task, a join, completing the
 * held task): a mutation the decoder let through would then show as an accepted request and a state
 * change, not hide behind a later refusal.
 */
final class WireShapes {
  /**
   * One subject.
   *
   * @param type the record the body binds to; null when any JSON object is accepted
   * @param base the base body for probe number {@code i} (fresh ids are unique per probe)
   * @param required whether the id fields are required (not on listings)
   */
  record Shape(
      String subject,
      @Nullable Class<?> type,
      List<String> idFields,
      boolean required,
      IntFunction<Map<String, Object>> base) {}

  private WireShapes() {}

  static List<Shape> all(Known k) {
    return List.of(
        shape(
            "mesh.tasks.submit",
            TaskRequests.Submit.class,
            List.of("task_id"),
            i -> body("task_id", "hx-new-" + i, "title", "t", "tags", List.of("x"))),
        shape(
            "mesh.tasks.claim",
            TaskRequests.Claim.class,
            List.of("node_id"),
            i -> body("node_id", k.heldNode())),
        shape(
            "mesh.orchestrator.fwd.mesh.tasks.claim",
            TaskRequests.Claim.class,
            List.of("node_id"),
            i -> body("node_id", k.staleOwner())),
        shape(
            "mesh.tasks.start",
            TaskRequests.Ref.class,
            List.of("task_id", "node_id"),
            i -> fenced(k)),
        shape(
            "mesh.tasks.attempt",
            TaskRequests.RecordAttempt.class,
            List.of("task_id", "node_id"),
            i -> with(fenced(k), "approach", "a", "result", "r", "attempt", 1)),
        shape(
            "mesh.tasks.heartbeat",
            TaskRequests.Ref.class,
            List.of("task_id", "node_id"),
            i -> with(fenced(k), "activity_state", "working")),
        shape(
            "mesh.tasks.complete",
            TaskRequests.Complete.class,
            List.of("task_id", "node_id"),
            i -> with(fenced(k), "result", Map.of("summary", "s"))),
        shape(
            "mesh.tasks.fail",
            TaskRequests.Fail.class,
            List.of("task_id", "node_id"),
            i -> with(fenced(k), "reason", "r")),
        shape(
            "mesh.tasks.release",
            TaskRequests.Fail.class,
            List.of("task_id", "node_id"),
            i -> with(fenced(k), "reason", "r")),
        shape(
            "mesh.tasks.cancel",
            TaskRequests.Cancel.class,
            List.of("task_id", "node_id"),
            i -> body("task_id", k.heldTask(), "reason", "r", "node_id", k.heldNode())),
        shape(
            "mesh.tasks.get",
            TaskRequests.Ref.class,
            List.of("task_id"),
            i -> body("task_id", k.heldTask())),
        listing(
            "mesh.tasks.list",
            TaskRequests.ListTasks.class,
            List.of("owner"),
            i -> body("status", "running", "limit", 5)),
        shape(
            "mesh.collab.create",
            CollabRequests.ByTask.class,
            List.of("task_id"),
            i -> body("task_id", k.collabTask())),
        shape(
            "mesh.collab.join",
            CollabRequests.Join.class,
            List.of("session_id", "node_id"),
            i -> body("session_id", k.sessionId(), "node_id", "hx-new-" + i)),
        shape(
            "mesh.collab.leave",
            CollabRequests.Leave.class,
            List.of("session_id", "node_id"),
            i -> body("session_id", k.sessionId(), "node_id", k.heldNode())),
        shape(
            "mesh.collab.status",
            CollabRequests.Status.class,
            List.of("session_id"),
            i -> body("session_id", k.sessionId())),
        shape(
            "mesh.collab.find",
            CollabRequests.ByTask.class,
            List.of("task_id"),
            i -> body("task_id", k.collabTask())),
        new Shape("mesh.collab.recruiting", null, List.of(), false, i -> body()),
        shape(
            "mesh.collab.reflect",
            CollabRequests.Reflect.class,
            List.of("session_id", "node_id"),
            i ->
                body(
                    "session_id",
                    k.sessionId(),
                    "node_id",
                    k.heldNode(),
                    "round",
                    1,
                    "summary",
                    "s",
                    "vote",
                    "converged")),
        shape(
            "mesh.collab.vote",
            CollabRequests.Vote.class,
            List.of("session_id", "node_id"),
            i ->
                body(
                    "session_id",
                    k.sessionId(),
                    "node_id",
                    k.heldNode(),
                    "round",
                    1,
                    "vote",
                    "converged")),
        shape(
            "mesh.collab.assignment",
            CollabRequests.Assignment.class,
            List.of("session_id", "node_id"),
            i -> body("session_id", k.sessionId(), "node_id", k.heldNode())),
        shape(
            "mesh.plans.create",
            PlanRequests.Create.class,
            List.of("parent_task_id"),
            i ->
                body(
                    "parent_task_id",
                    k.planParent(),
                    "title",
                    "p",
                    "subtasks",
                    List.of(Map.of("title", "one")))),
        shape(
            "mesh.plans.get",
            PlanRequests.Ref.class,
            List.of("plan_id"),
            i -> body("plan_id", k.pendingPlan())),
        listing(
            "mesh.plans.list",
            PlanRequests.ListPlans.class,
            List.of("parent_task_id"),
            i -> body("parent_task_id", k.heldTask())),
        shape(
            "mesh.plans.approve",
            PlanRequests.Approve.class,
            List.of("plan_id"),
            i -> body("plan_id", k.pendingPlan())),
        shape(
            "mesh.plans.abort",
            PlanRequests.Abort.class,
            List.of("plan_id"),
            i -> body("plan_id", k.pendingPlan(), "reason", "r")),
        shape(
            "mesh.plans.subtask.update",
            PlanRequests.SubtaskUpdate.class,
            List.of("plan_id", "subtask_id"),
            i ->
                body(
                    "plan_id",
                    k.pendingPlan(),
                    "subtask_id",
                    k.pendingPlan() + "-S01",
                    "status",
                    "completed")),
        shape(
            "mesh.nodes.join",
            NodeRequests.Join.class,
            List.of("node_id"),
            i -> body("node_id", "hx-new-" + i, "providers", List.of("shell"))),
        shape(
            "mesh.nodes.get",
            NodeRequests.Ref.class,
            List.of("node_id"),
            i -> body("node_id", k.joinedNode())),
        listing("mesh.nodes.list", NodeRequests.ListNodes.class, List.of(), i -> body()),
        shape(
            "mesh.nodes.remove",
            NodeRequests.Remove.class,
            List.of("node_id"),
            i -> body("node_id", k.joinedNode(), "reason", "r")));
  }

  private static Shape shape(
      String subject, Class<?> type, List<String> ids, IntFunction<Map<String, Object>> base) {
    return new Shape(subject, type, ids, true, base);
  }

  private static Shape listing(
      String subject, Class<?> type, List<String> ids, IntFunction<Map<String, Object>> base) {
    return new Shape(subject, type, ids, false, base);
  }

  /** The held task as its owner with its current token: accepted as it is. */
  private static Map<String, Object> fenced(Known k) {
    return body("task_id", k.heldTask(), "node_id", k.heldNode(), "claim_token", k.heldToken());
  }

  static Map<String, Object> body(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Map<String, Object> with(Map<String, Object> m, Object... kv) {
    m.putAll(body(kv));
    return m;
  }
}
