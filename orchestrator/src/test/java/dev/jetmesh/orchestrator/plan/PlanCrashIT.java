package dev.jetmesh.orchestrator.plan;

import static dev.jetmesh.orchestrator.plan.PlanFixtures.create;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.parent;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.rows;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.solo;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.status;
import static dev.jetmesh.orchestrator.plan.PlanFixtures.work;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.orchestrator.testing.MeshClient;
import dev.jetmesh.orchestrator.testing.OrchestratorProcess;
import dev.jetmesh.orchestrator.testing.TestMesh;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.PlanEvent;
import dev.jetmesh.schema.events.PlanEvent.PlanApproved;
import dev.jetmesh.schema.events.PlanEvent.PlanExecutionStarted;
import dev.jetmesh.schema.events.PlanEvent.SubtaskDispatched;
import dev.jetmesh.schema.events.PlanEvent.WaveDispatched;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the orchestrator process between two waves of a plan, and in the middle of one: after
 * a restart the plan continues to completion and no wave, subtask or mesh task is dispatched twice.
 */
class PlanCrashIT {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void killNineBetweenWaves_thenRestart_planContinues_andNothingIsDispatchedTwice()
      throws Exception {
    try (TestMesh mesh = TestMesh.withoutOrchestrator(Map.of("MESH_SWEEP_SECONDS", "0.2"));
        MeshClient client = mesh.client()) {
      OrchestratorProcess first = OrchestratorProcess.start(mesh.env()).awaitHealthy(WAIT);
      String pid;
      try {
        parent(client, "crash-parent");
        pid =
            create(
                    client,
                    "crash-parent",
                    false,
                    List.of(
                        solo("cr-a", "Write the lexer"),
                        solo("cr-b", "Write the parser", "cr-a"),
                        solo("cr-c", "Write the printer", "cr-a"),
                        solo("cr-d", "Join the outputs", "cr-b", "cr-c")))
                .path("plan_id")
                .asText();
        String plan = pid;
        await()
            .atMost(WAIT)
            .until(
                () ->
                    PlanFixtures.subtask(client, plan, "cr-a")
                        .path("status")
                        .asText()
                        .equals("queued"));
        // Finish wave 0 and kill the orchestrator while it reacts to that: between two waves.
        await().atMost(WAIT).until(() -> work(client, Set.of()).contains("cr-a"));
      } finally {
        first.kill9();
      }
      assertThat(count(mesh, pid, "plan.wave_dispatched")).isLessThanOrEqualTo(2);

      try (OrchestratorProcess second = OrchestratorProcess.start(mesh.env()).awaitHealthy(WAIT)) {
        String plan = pid;
        workUntilCompleted(client, plan);
        await()
            .atMost(WAIT)
            .until(
                () ->
                    client
                        .task("get", Map.of("task_id", "crash-parent"))
                        .path("status")
                        .asText()
                        .equals("completed"));
        await().atMost(WAIT).until(() -> count(mesh, plan, "plan.completed") == 1);

        try (Connection c = mesh.db().connect()) {
          // each wave dispatched exactly once, in order
          List<List<String>> waves =
              rows(
                  c,
                  "SELECT payload->>'wave', count(*) FROM event_log WHERE aggregate_id = ?"
                      + " AND type = 'plan.wave_dispatched' GROUP BY 1 ORDER BY 1",
                  plan);
          assertThat(waves)
              .containsExactly(List.of("0", "1"), List.of("1", "1"), List.of("2", "1"));
          // each subtask dispatched once, each mesh task submitted once, each outcome recorded once
          for (String type : List.of("plan.subtask_dispatched", "plan.subtask_completed")) {
            List<List<String>> per =
                rows(
                    c,
                    "SELECT payload->>'subtask_id', count(*) FROM event_log WHERE aggregate_id = ?"
                        + " AND type = '"
                        + type
                        + "' GROUP BY 1 ORDER BY 1",
                    plan);
            assertThat(per)
                .as(type)
                .containsExactly(
                    List.of("cr-a", "1"),
                    List.of("cr-b", "1"),
                    List.of("cr-c", "1"),
                    List.of("cr-d", "1"));
          }
          List<List<String>> submitted =
              rows(
                  c,
                  "SELECT aggregate_id, count(*) FROM event_log WHERE type = 'task.submitted'"
                      + " AND payload->'task'->'tags' @> jsonb_build_array(CAST(? AS text)) GROUP BY 1 ORDER BY 1",
                  plan);
          assertThat(submitted)
              .containsExactly(
                  List.of("cr-a", "1"),
                  List.of("cr-b", "1"),
                  List.of("cr-c", "1"),
                  List.of("cr-d", "1"));
          assertThat(
                  rows(
                      c,
                      "SELECT count(*) FROM event_log WHERE aggregate_id = ? AND type = 'task.completed'",
                      "crash-parent"))
              .containsExactly(List.of("1"));
        }
      }
    }
  }

  @Test
  void waveHalfAppendedBeforeACrash_isFinishedByTheNextOrchestrator_withOneWaveEvent()
      throws Exception {
    try (TestMesh mesh = TestMesh.withoutOrchestrator(Map.of("MESH_SWEEP_SECONDS", "0.2"));
        MeshClient client = mesh.client()) {
      String plan;
      try (OrchestratorProcess first = OrchestratorProcess.start(mesh.env()).awaitHealthy(WAIT)) {
        parent(client, "half-parent");
        plan =
            create(
                    client,
                    "half-parent",
                    true,
                    List.of(
                        solo("hw-a", "Write the lexer"),
                        solo("hw-b", "Write the parser"),
                        solo("hw-c", "Join the outputs", "hw-a", "hw-b")))
                .path("plan_id")
                .asText();
        first.kill9();
      }
      // What an orchestrator killed in the middle of dispatching wave 0 leaves: the approval, the
      // wave, the first subtask's dispatch; no dispatch of hw-b and no mesh task for either.
      try (io.nats.client.Connection nc = io.nats.client.Nats.connect(mesh.nats().url())) {
        EventStore store = new EventStore(nc, "MESH_EVENTS");
        String subject = Subjects.planEvents(plan);
        long seq = store.lastSequenceOf(subject);
        for (PlanEvent e :
            List.of(
                new PlanApproved("alice"),
                new PlanExecutionStarted("alice"),
                new WaveDispatched(0, List.of("hw-a", "hw-b")),
                new SubtaskDispatched("hw-a", 0, "solo_mesh", "hw-a"))) {
          seq = store.append(subject, Envelope.wrap(e, plan, "alice", null, Instant.now()), seq);
        }
      }

      try (OrchestratorProcess second = OrchestratorProcess.start(mesh.env()).awaitHealthy(WAIT)) {
        workUntilCompleted(client, plan);
        try (Connection c = mesh.db().connect()) {
          assertThat(
                  rows(
                      c,
                      "SELECT payload->>'wave', count(*) FROM event_log WHERE aggregate_id = ?"
                          + " AND type = 'plan.wave_dispatched' GROUP BY 1 ORDER BY 1",
                      plan))
              .containsExactly(List.of("0", "1"), List.of("1", "1"));
          assertThat(
                  rows(
                      c,
                      "SELECT payload->>'subtask_id', count(*) FROM event_log WHERE aggregate_id = ?"
                          + " AND type = 'plan.subtask_dispatched' GROUP BY 1 ORDER BY 1",
                      plan))
              .containsExactly(List.of("hw-a", "1"), List.of("hw-b", "1"), List.of("hw-c", "1"));
        }
      }
    }
  }

  /** Works every claimable task, again and again, until the plan has completed. */
  private static void workUntilCompleted(MeshClient client, String plan) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              work(client, Set.of());
              return status(client, plan).equals("completed");
            });
  }

  static long count(TestMesh mesh, String planId, String type) throws Exception {
    try (Connection c = mesh.db().connect()) {
      return Long.parseLong(
          rows(
                  c,
                  "SELECT count(*) FROM event_log WHERE aggregate_id = ? AND type = '" + type + "'",
                  planId)
              .get(0)
              .get(0));
    }
  }
}
