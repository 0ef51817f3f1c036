package dev.jetmesh.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.bench.faults.Audit.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fault suite's own fold of a task's history finds every step a single decider never takes. */
class TaskFoldTest {
  private final List<Event> events = new ArrayList<>();

  private void given(String type, String task, String node) {
    ObjectNode payload = Wire.JSON.createObjectNode();
    payload.put("node_id", node); // null as a settlement's event has it
    long seq = events.size() + 1;
    events.add(new Event(seq, "e" + seq, type, task, payload));
  }

  @Test
  void aLifecycleAsOneDeciderWritesIt_hasNoViolation() {
    given("task.submitted", "t1", null);
    given("task.claimed", "t1", "n1");
    given("task.started", "t1", "n1");
    given("task.completed", "t1", "n1");
    given("task.submitted", "t2", null);
    given("task.claimed", "t2", "n1");
    given("task.completed", "t2", "n1"); // completing a claimed task without a start is allowed
    given("task.submitted", "parent", null);
    given("task.completed", "parent", null); // its plan settles a parent nobody claimed

    TaskFold f = TaskFold.of(events);

    assertThat(f.violations()).isEmpty();
    assertThat(f.doubleHolds()).isEmpty();
    assertThat(f.statuses())
        .containsEntry("t1", "completed")
        .containsEntry("t2", "completed")
        .containsEntry("parent", "completed");
  }

  @Test
  void aStartWithoutAClaim_orASecondStart_isAViolation() {
    given("task.submitted", "t1", null);
    given("task.started", "t1", "n1");
    given("task.submitted", "t2", null);
    given("task.claimed", "t2", "n1");
    given("task.started", "t2", "n1");
    given("task.started", "t2", "n1");

    assertThat(TaskFold.of(events).violations())
        .containsExactly("t1 started while queued (seq 2)", "t2 started while running (seq 6)");
  }

  @Test
  void aNodesCompletionOfATaskNotHeld_orBySomeoneElse_orASettlementAfterTheEnd_isAViolation() {
    given("task.submitted", "t1", null);
    given("task.completed", "t1", "n1");
    given("task.submitted", "t2", null);
    given("task.claimed", "t2", "n1");
    given("task.started", "t2", "n1");
    given("task.completed", "t2", "n2");
    given("task.completed", "t2", "n1");
    given("task.submitted", "t3", null);
    given("task.cancelled", "t3", null);
    given("task.completed", "t3", null);

    assertThat(TaskFold.of(events).violations())
        .containsExactly(
            "t1 completed while queued (seq 2)",
            "t2 task.completed by n2 while n1 held it (seq 6)",
            "t2 completed twice (seq 7)",
            "t3 completed while cancelled (seq 10)");
  }
}
