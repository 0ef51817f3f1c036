package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Given reservations, when purged up to a sequence, then exactly the holds due are released. */
class ReservationsTest {
  private static final long DECIDING = Long.MIN_VALUE;

  @Test
  void purge_releasesTheHoldsAtOrBelowTheSequence_andKeepsLaterOnes() {
    Reservations r = new Reservations();
    r.holdUntil("a", 5);
    r.holdUntil("b", 7);
    r.holdUntil("c", 6);

    r.purge(6);

    assertThat(r.ids()).containsExactly("b");
  }

  @Test
  void purge_neverReleasesAClaimStillBeingDecided() {
    Reservations r = new Reservations();
    assertThat(r.tryReserve("a")).isTrue();

    r.purge(Long.MAX_VALUE - 1);

    assertThat(r.contains("a")).isTrue();
    assertThat(r.tryReserve("a")).isFalse();
  }

  @Test
  void purge_ofAnEarlierHold_keepsATaskHeldAgainUntilLater() {
    Reservations r = new Reservations();
    r.holdUntil("a", 5);
    r.holdUntil("a", 9);

    r.purge(5);

    assertThat(r.contains("a")).isTrue();
    r.purge(9);
    assertThat(r.contains("a")).isFalse();
  }

  @Test
  void release_dropsAReservationAtOnce_andTheTaskMayBeReservedAgain() {
    Reservations r = new Reservations();
    r.tryReserve("a");

    r.release("a");

    assertThat(r.contains("a")).isFalse();
    assertThat(r.tryReserve("a")).isTrue();
  }

  /** The rule it replaced, as a scan of every reservation: the two agree on any sequence of use. */
  @Test
  void randomUse_agreesWithAScanOfEveryReservation() {
    Random rnd = new Random(42);
    for (int run = 0; run < 200; run++) {
      Reservations r = new Reservations();
      Map<String, Long> model = new HashMap<>();
      long reflected = 0;
      for (int step = 0; step < 500; step++) {
        String id = "t" + rnd.nextInt(30);
        switch (rnd.nextInt(4)) {
          case 0 -> assertThat(r.tryReserve(id)).isEqualTo(model.putIfAbsent(id, DECIDING) == null);
          case 1 -> {
            long seq = reflected + rnd.nextInt(20) - 3;
            r.holdUntil(id, seq);
            model.put(id, seq);
          }
          case 2 -> {
            r.release(id);
            model.remove(id);
          }
          default -> {
            reflected += rnd.nextInt(8);
            long upTo = reflected;
            r.purge(upTo);
            model.values().removeIf(seq -> seq != DECIDING && seq <= upTo);
          }
        }
        assertThat(r.ids()).containsExactlyInAnyOrderElementsOf(model.keySet());
      }
    }
  }

  @Test
  void holdsAddedWhilePurging_areReleasedWhenDue_andNoneIsLost() throws InterruptedException {
    Reservations r = new Reservations();
    int perThread = 20_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> holders = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int me = t;
      holders.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      start.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    for (int i = 0; i < perThread; i++) {
                      r.holdUntil("t" + me + "-" + i, i);
                    }
                  }));
    }
    start.countDown();
    // Purges race the holders, but only up to below the half: however the threads interleave, a
    // hold at or above it is never due in them, and one below it is released now or below.
    for (int i = 0; i < perThread / 2; i += 50) {
      r.purge(i);
    }
    for (Thread h : holders) {
      h.join();
    }

    r.purge(perThread / 2 - 1);
    assertThat(r.size()).isEqualTo(4 * (perThread / 2));
    r.purge(perThread);
    assertThat(r.size()).isZero();
  }
}
