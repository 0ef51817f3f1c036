package dev.jetmesh.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.bench.faults.Audit.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault suite's check of a plan's decisions in the stream. */
class PlanAuditTest {
  private final List<Event> events = new ArrayList<>();

  private ObjectNode given(String type, String plan) {
    ObjectNode payload = Wire.JSON.createObjectNode();
    long seq = events.size() + 1;
    events.add(new Event(seq, "e" + seq, type, plan, payload));
    return payload;
  }

  private void aPlanOfOneWave(String plan) {
    given("plan.created", plan);
    given("plan.execution_started", plan);
    given("plan.wave_dispatched", plan).put("wave", 0);
    given("plan.subtask_dispatched", plan).put("subtask_id", plan + "-a");
    given("plan.subtask_completed", plan).put("subtask_id", plan + "-a");
    given("plan.completed", plan).put("success", true);
  }

  @Test
  void givenPlansThatRanOnce_thenNothingIsWrong() {
    aPlanOfOneWave("p1");
    aPlanOfOneWave("p2");

    assertThat(PlanAudit.problems(events, Set.of("p1", "p2"))).isEmpty();
  }

  @Test
  void givenAWaveDispatchedTwice_andAPlanNeverCompleted_thenBothAreNamed() {
    aPlanOfOneWave("p1");
    given("plan.wave_dispatched", "p1").put("wave", 0);
    given("plan.created", "p2");

    assertThat(PlanAudit.problems(events, Set.of("p1", "p2")))
        .containsExactly("p1 plan.wave_dispatched wave 0 2 times", "p2 not completed");
  }

  @Test
  void givenAPlanOfAnotherRow_thenItIsNotLookedAt() {
    aPlanOfOneWave("p1");
    aPlanOfOneWave("p1");

    assertThat(PlanAudit.problems(events, Set.of("p2"))).containsExactly("p2 not completed");
  }
}
