package dev.jetmesh.schema.events;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jetmesh.schema.events.PlanEvent.PlanCreated;
import dev.jetmesh.schema.events.TaskEvent.AttemptRecorded;
import dev.jetmesh.schema.events.TaskEvent.TaskSubmitted;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * Task and plan events as streams held them before metric scores and money budgets existed decode,
 * with those fields null: no threshold (the exit code decides), no budget, no score.
 */
class StoredEventsBeforeScoresTest {

  private static MeshEvent decode(String aggregate, String type, String payload) {
    String json =
        """
        {"event_id":"1c0e5b2a-8f3d-4b7e-9a61-2d4f0c9e7b13","type":"%s","version":1,
        "aggregate":"%s","aggregate_id":"t1","occurred_at":"2025-06-02T09:15:30.123Z",
        "actor":"client","causation_id":null,"payload":%s}
        """
            .formatted(type, aggregate, payload);
    return EventCodec.decode(json.getBytes(UTF_8)).payload();
  }

  @Test
  void storedSubmission_decodes_withoutThreshold_direction_orBudget() {
    TaskSubmitted s =
        (TaskSubmitted)
            decode(
                "task",
                "task.submitted",
                """
                {"task":{"task_id":"t1","title":"T","description":"","budget_minutes":30,
                 "metric":"make test","on_fail":"revert and log approach","scope":[],
                 "success_criteria":[],"depends_on":[],"tags":[],"preferred_nodes":[],
                 "exclude_nodes":[],"priority":0,"llm_provider":null,"llm_model":null,
                 "collaboration":null}}
                """);
    assertThat(s.task().metric()).isEqualTo("make test");
    assertThat(s.task().metricThreshold()).isNull();
    assertThat(s.task().metricDirection()).isNull();
    assertThat(s.task().budgetUsd()).isNull();
  }

  @Test
  void storedAttempt_decodes_withoutAScore_keepingItsCost() {
    AttemptRecorded a =
        (AttemptRecorded)
            decode(
                "task",
                "task.attempt_recorded",
                """
                {"attempt":{"approach":"a","result":"r","keep":false,
                 "timestamp":"2025-06-02T09:15:30.123Z","attempt":1,"node_id":"n1",
                 "provider":"claude","model":null,"exit_code":0,"metric_passed":false,
                 "duration_ms":10,"cost_usd":0.0125,"tokens":null,"output":null}}
                """);
    assertThat(a.attempt().metricScore()).isNull();
    assertThat(a.attempt().metricPassed()).isFalse();
    assertThat(a.attempt().costUsd()).isEqualByComparingTo(new BigDecimal("0.0125"));
  }

  @Test
  void storedPlan_decodes_withoutABudget() {
    PlanCreated p =
        (PlanCreated)
            decode(
                "plan",
                "plan.created",
                """
                {"parent_task_id":"t1","title":"P","description":"","planner":"daedalus",
                 "planner_soul":null,"requires_approval":false,"subtasks":[]}
                """);
    assertThat(p.budgetUsd()).isNull();
    assertThat(p.subtasks()).isEmpty();
  }
}
