package dev.jetmesh.orchestrator.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A module's sweep stops between items once the sweeper interrupts it, and says so. */
class SweepEachTest {
  @AfterEach
  void clearInterrupt() {
    var unused = Thread.interrupted();
  }

  @Test
  void givenNoInterrupt_whenSwept_thenEveryItemRuns_inOrder() {
    List<String> done = new ArrayList<>();

    boolean whole = MeshModule.sweepEach(List.of("a", "b", "c"), done::add);

    assertThat(whole).isTrue();
    assertThat(done).containsExactly("a", "b", "c");
  }

  @Test
  void givenAnInterruptDuringAnItem_whenSwept_thenThatItemEnds_theRestWait_andTheInterruptStays() {
    List<String> done = new ArrayList<>();

    boolean whole =
        MeshModule.sweepEach(
            List.of("a", "b", "c", "d"),
            item -> {
              done.add(item);
              if (item.equals("b")) {
                Thread.currentThread().interrupt(); // the sweeper's, past its grace
              }
            });

    assertThat(whole).isFalse();
    assertThat(done).containsExactly("a", "b");
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void givenAnInterruptBeforeTheSweep_whenSwept_thenNothingRuns() {
    List<String> done = new ArrayList<>();
    Thread.currentThread().interrupt();

    assertThat(MeshModule.sweepEach(List.of("a"), done::add)).isFalse();
    assertThat(done).isEmpty();
  }
}
