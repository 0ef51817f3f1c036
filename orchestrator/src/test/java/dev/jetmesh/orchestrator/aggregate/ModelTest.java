package dev.jetmesh.orchestrator.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.events.TaskEvent.TaskStarted;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelTest {
  private static final StoredEvent EVENT =
      new StoredEvent(
          7,
          "mesh.evt.task.t1",
          Envelope.wrap(new TaskStarted("n1"), "t1", "test", "c", Instant.EPOCH));

  /** A state that is just the sequences folded into it. */
  private static final AggregateRepository.Model<List<Long>> MODEL =
      AggregateRepository.Model.of(
          "Thing",
          id -> "mesh.evt.thing." + id,
          (state, e) -> {
            List<Long> next = state == null ? new ArrayList<>() : new ArrayList<>(state);
            next.add(e.seq());
            return next;
          },
          state -> state.get(state.size() - 1));

  @Test
  void of_delegates_toItsFunctions() {
    assertThat(MODEL.noun()).isEqualTo("Thing");
    assertThat(MODEL.subject("a1")).isEqualTo("mesh.evt.thing.a1");
    List<Long> folded = MODEL.evolve(MODEL.evolve(null, EVENT), EVENT);
    assertThat(folded).containsExactly(7L, 7L);
    assertThat(MODEL.version(List.of(3L, 9L))).isEqualTo(9);
  }

  @Test
  void version_ofNoState_isZero_withoutAskingTheFunction() {
    // The function above would throw on null: the model must answer before calling it.
    assertThat(MODEL.version(null)).isZero();
  }

  @Test
  void of_rejects_missingFunctions() {
    assertThatThrownBy(() -> AggregateRepository.Model.<String>of("X", null, (s, e) -> s, s -> 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("null subject");
  }
}
