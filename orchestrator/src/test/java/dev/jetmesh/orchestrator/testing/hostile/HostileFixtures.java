package dev.jetmesh.orchestrator.testing.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The legitimate state set up before the attack, through the wire as a client would: a running task
 * held by one node, a task whose first claim token went stale (released, claimed again by another
 * node), a completed task, a cancelled one, a collaboration session, a pending and an aborted plan,
 * a joined and a removed node. The requests that built it are kept: sent again, each must be
 * refused (the replays). The recruiting session's task could be claimed by a node that holds
 * nothing: every claim the attack sends names a node that holds a task already.
 */
public final class HostileFixtures {
  /** What the attack aims at. */
  public record Known(
      String heldTask,
      String heldNode,
      long heldToken,
      String staleTask,
      String staleOwner,
      String staleNode,
      long staleToken,
      long staleOwnerToken,
      String doneTask,
      String doneNode,
      long doneToken,
      String cancelledTask,
      String collabTask,
      String sessionId,
      String pendingPlan,
      String abortedPlan,
      String planParent,
      String joinedNode,
      String removedNode,
      String activeSession,
      List<Replay> replays) {}

  /** A request that succeeded while the fixtures were set up; sent again it must be refused. */
  @SuppressWarnings("ArrayRecordComponent")
  public record Replay(String subject, byte[] body) {}

  private static final String PLAN_PARENT = "hx-plan-parent";

  /** The member of the active session that joined first and reflected: its coordinator. */
  static final String COORDINATOR = "hx-cm1";

  /** The active session's other member, which has not reflected. */
  static final String MEMBER = "hx-cm2";

  private final Connection nc;
  private final List<Replay> replays = new ArrayList<>();

  private HostileFixtures(Connection nc) {
    this.nc = nc;
  }

  /** Sets everything up; fails with the reply when a step is refused. */
  public static Known create(Connection nc) {
    return new HostileFixtures(nc).build();
  }

  private Known build() {
    ok("mesh.nodes.join", Map.of("node_id", "hx-joined"), false);

    ok("mesh.tasks.submit", Map.of("task_id", "hx-held", "title", "held"), true);
    long held = claim("hx-n1", "hx-held", true);
    // Not kept: starting a running task again is accepted and changes nothing (a worker's
    // next attempt), so its replay is no refusal.
    ok("mesh.tasks.start", fenced("hx-held", "hx-n1", held), false);

    // A stale token: hx-n2's claim ends with its removal, which sends the task back to the queue.
    ok("mesh.nodes.join", Map.of("node_id", "hx-n2"), false);
    ok("mesh.tasks.submit", Map.of("task_id", "hx-stale", "title", "stale"), true);
    long stale = claim("hx-n2", "hx-stale", false);
    ok("mesh.nodes.remove", Map.of("node_id", "hx-n2", "reason", "fixture"), true);
    long staleNow = claim("hx-n3", "hx-stale", true);

    ok("mesh.tasks.submit", Map.of("task_id", "hx-released", "title", "released"), false);
    long released = claim("hx-n5", "hx-released", false);
    ok("mesh.tasks.release", fenced("hx-released", "hx-n5", released), true);

    ok("mesh.tasks.submit", Map.of("task_id", "hx-done", "title", "done"), true);
    long done = claim("hx-n4", "hx-done", false);
    ok("mesh.tasks.start", fenced("hx-done", "hx-n4", done), false);
    Map<String, Object> complete = fenced("hx-done", "hx-n4", done);
    complete.put("result", Map.of("summary", "fixture"));
    ok("mesh.tasks.complete", complete, true);

    ok("mesh.tasks.submit", Map.of("task_id", "hx-cancelled", "title", "cancelled"), false);
    ok("mesh.tasks.cancel", Map.of("task_id", "hx-cancelled", "reason", "fixture"), true);

    Map<String, Object> collab = new LinkedHashMap<>();
    collab.put("task_id", "hx-collab");
    collab.put("title", "collab");
    collab.put("collaboration", Map.of("mode", "parallel", "min_nodes", 2, "max_nodes", 3));
    ok("mesh.tasks.submit", collab, false);
    String session =
        ok("mesh.collab.find", Map.of("task_id", "hx-collab"), false).path("session_id").asText();
    if (session.isEmpty()) {
      throw new IllegalStateException("no session for hx-collab");
    }

    String active = activeSession();

    // A plan's parent must be queued (one a node holds is refused); tagged, no claim takes it.
    ok(
        "mesh.tasks.submit",
        Map.of("task_id", PLAN_PARENT, "title", "plans", "tags", List.of("plan-parent")),
        false);
    String pending = plan("pending");
    String aborted = plan("aborted");
    ok("mesh.plans.abort", Map.of("plan_id", aborted, "reason", "fixture"), true);

    return new Known(
        "hx-held",
        "hx-n1",
        held,
        "hx-stale",
        "hx-n3",
        "hx-n2",
        stale,
        staleNow,
        "hx-done",
        "hx-n4",
        done,
        "hx-cancelled",
        "hx-collab",
        session,
        pending,
        aborted,
        PLAN_PARENT,
        "hx-joined",
        "hx-n2",
        active,
        List.copyOf(replays));
  }

  private String plan(String title) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("parent_task_id", PLAN_PARENT);
    p.put("title", title);
    p.put("subtasks", List.of(Map.of("title", "one")));
    return ok("mesh.plans.create", p, false).path("plan_id").asText();
  }

  /**
   * Claims as {@code node}, which must get {@code task}. Kept as a replay only while the node holds
   * the task: a replay by a node that holds nothing would be a legitimate claim.
   */
  private long claim(String node, String task, boolean keepAsReplay) {
    // A task sent back to the queue by a node's removal may take a moment to be claimable again
    // (left as a finding in docs/hostile-input.md).
    JsonNode t =
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> ok("mesh.tasks.claim", Map.of("node_id", node), false), n -> !n.isNull());
    if (!task.equals(t.path("task_id").asText())) {
      throw new IllegalStateException(node + " claimed " + t + ", expected " + task);
    }
    if (keepAsReplay) {
      replays.add(new Replay("mesh.tasks.claim", bytes(Map.of("node_id", node))));
    }
    return t.path("claim_token").asLong();
  }

  private static byte[] bytes(Object body) {
    try {
      return Json.mapper().writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> fenced(String task, String node, long token) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("task_id", task);
    m.put("node_id", node);
    m.put("claim_token", token);
    return m;
  }

  /**
   * A collaboration under way: two members, so recruiting closed and round 1 is open; coordinator
   * convergence with {@value #COORDINATOR} named as the coordinator, which has reflected, the other
   * member ({@value #MEMBER}) not yet. Nothing moves it on by itself for the run's length (a round
   * timeout of an hour, alive checks after the stall time the run sets).
   */
  private String activeSession() {
    Map<String, Object> task = new LinkedHashMap<>();
    task.put("task_id", "hx-active");
    task.put("title", "collab under way");
    task.put(
        "collaboration",
        Map.of(
            "mode",
            "parallel",
            "min_nodes",
            2,
            "max_nodes",
            2,
            "round_timeout_s",
            3600,
            "convergence",
            Map.of("type", "coordinator", "coordinator", COORDINATOR)));
    ok("mesh.tasks.submit", task, false);
    String sid =
        ok("mesh.collab.find", Map.of("task_id", "hx-active"), false).path("session_id").asText();
    ok("mesh.collab.join", Map.of("session_id", sid, "node_id", COORDINATOR), true);
    ok("mesh.collab.join", Map.of("session_id", sid, "node_id", MEMBER), false);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (ok("mesh.collab.status", Map.of("session_id", sid), false).path("current_round").asInt()
        != 1) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("session " + sid + " did not start round 1 in 30 s");
      }
      sleep(50);
    }
    Map<String, Object> reflection = new LinkedHashMap<>();
    reflection.put("session_id", sid);
    reflection.put("node_id", COORDINATOR);
    reflection.put("round", 1);
    reflection.put("summary", "fixture");
    reflection.put("vote", "continue");
    ok("mesh.collab.reflect", reflection, true);
    return sid;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private JsonNode ok(String subject, Object body, boolean keepAsReplay) {
    try {
      byte[] bytes = Json.mapper().writeValueAsBytes(body);
      Message m = nc.request(subject, bytes, Duration.ofSeconds(30));
      if (m == null) {
        throw new IllegalStateException("no reply on " + subject);
      }
      JsonNode r = Json.mapper().readTree(m.getData());
      if (!r.path("ok").asBoolean()) {
        throw new IllegalStateException(subject + " " + body + " refused: " + r);
      }
      if (keepAsReplay) {
        replays.add(new Replay(subject, bytes));
      }
      return r.path("data");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(subject + " failed", e);
    }
  }
}
