package dev.jetmesh.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jetmesh.schema.MeshException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Given/when/then tests of the orchestrator's shutdown order: no part is left open. */
class ShutdownStepsTest {
  private final List<String> closed = new ArrayList<>();

  @AfterEach
  void clearInterrupt() {
    var unused = Thread.interrupted();
  }

  private ShutdownSteps.Step closes(String part) {
    return () -> closed.add(part);
  }

  @Test
  void whenEveryPartCloses_allCloseInOrder_andNothingIsThrown() {
    new ShutdownSteps()
        .then("http", closes("http"))
        .then("projector", closes("projector"))
        .then("pool", closes("pool"))
        .done();

    assertThat(closed).containsExactly("http", "projector", "pool");
  }

  @Test
  void givenAPartThatThrows_thePartsAfterItStillClose_andItsFailureIsThrownAtTheEnd() {
    IllegalStateException broken = new IllegalStateException("http stop failed");
    ShutdownSteps steps =
        new ShutdownSteps()
            .then(
                "http",
                () -> {
                  throw broken;
                })
            .then("main connection", closes("main connection"))
            .then("pool", closes("pool"));

    assertThat(closed).containsExactly("main connection", "pool");
    assertThatThrownBy(steps::done).isSameAs(broken);
  }

  @Test
  void givenTwoPartsThatThrow_theFirstIsThrown_withTheSecondSuppressedOnIt() {
    IllegalStateException first = new IllegalStateException("first");
    IllegalArgumentException second = new IllegalArgumentException("second");
    ShutdownSteps steps =
        new ShutdownSteps()
            .then(
                "module",
                () -> {
                  throw first;
                })
            .then(
                "projector",
                () -> {
                  throw second;
                })
            .then("pool", closes("pool"));

    assertThat(closed).containsExactly("pool");
    assertThatThrownBy(steps::done).isSameAs(first).hasSuppressedException(second);
  }

  @Test
  void givenAPartThatThrowsACheckedException_itIsThrownAsUnchecked_namingThePart() {
    IOException io = new IOException("socket closed");
    ShutdownSteps steps =
        new ShutdownSteps()
            .then(
                "feed connection",
                () -> {
                  throw io;
                });

    assertThatThrownBy(steps::done)
        .isInstanceOf(MeshException.class)
        .hasMessageContaining("feed connection")
        .hasCause(io);
  }

  @Test
  void
      givenAPartInterruptedWhileItWaits_thePartsAfterItStillWait_andTheInterruptIsRaisedAtTheEnd() {
    ShutdownSteps steps =
        new ShutdownSteps()
            .then(
                "request router",
                () -> {
                  throw new InterruptedException();
                })
            .then(
                "projector",
                () -> {
                  // a bounded wait, as the projector's join is: it must not fail at once
                  Thread.sleep(1);
                  closed.add("projector");
                });

    assertThat(closed).containsExactly("projector");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    steps.done();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void givenAnInterruptPendingBeforeTheClose_everyStepStillWaits_andTheInterruptIsRaisedAtTheEnd() {
    Thread.currentThread().interrupt();
    ShutdownSteps steps = new ShutdownSteps();
    for (String part : List.of("sweeper", "http", "projector")) {
      steps.then(
          part,
          () -> {
            Thread.sleep(1); // a bounded wait, as Jetty's stop has: it must not fail at once
            closed.add(part);
          });
    }

    assertThat(closed).containsExactly("sweeper", "http", "projector");
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    steps.done();
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }
}
