package dev.jetmesh.orchestrator.collab;

import static dev.jetmesh.orchestrator.collab.CollabGiven.given;
import static dev.jetmesh.orchestrator.collab.CollabGiven.joined;
import static dev.jetmesh.orchestrator.collab.CollabGiven.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jetmesh.orchestrator.testing.TestNats;
import dev.jetmesh.orchestrator.wire.MeshBus;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.RecruitingClosed;
import dev.jetmesh.schema.events.CollabEvent.RoundStarted;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.model.CollabAssignment;
import dev.jetmesh.schema.model.CollabSession;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Given open collaboration rounds, when the sweep finds members silent, then each is sent the round
 * again once per interval and asked once per interval whether it is alive; and what the sweep
 * remembers for that stays bounded by the sessions still open and their current rounds.
 */
class SilentMembersIT {
  private static final Duration RENOTIFY = Duration.ofMinutes(2);
  private static final Duration ALIVE_AFTER = Duration.ofMinutes(5);

  static TestNats nats;
  static Connection nc;
  static final List<String> notices = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    nats = TestNats.start();
    nc = Nats.connect(nats.url());
    Dispatcher d = nc.createDispatcher(m -> notices.add(m.getSubject()));
    d.subscribe(">"); // this server carries nothing but this test
    nc.flush(Duration.ofSeconds(5));
  }

  @AfterAll
  static void down() throws Exception {
    nc.close();
    nats.close();
  }

  private static SilentMembers silent() {
    MeshBus bus = new MeshBus(nc);
    return new SilentMembers(
        bus, new CollabNotifier(bus), ALIVE_AFTER, Duration.ofMillis(200), RENOTIFY);
  }

  /** Session {@code sid}, members n1 and n2, in round {@code rounds} (each a second apart). */
  private static CollabSession inRound(String sid, int rounds) {
    List<CollabEvent> events = new ArrayList<>();
    events.add(new SessionCreated(sid, "t-" + sid, "Fix it", List.of("src/a"), spec(), null));
    events.add(joined("n1"));
    events.add(joined("n2"));
    events.add(new RecruitingClosed("join_window", List.of("n1", "n2")));
    List<CollabAssignment> a =
        List.of(
            new CollabAssignment("n1", "worker", List.of("*")),
            new CollabAssignment("n2", "worker", List.of("*")));
    for (int r = 1; r <= rounds; r++) {
      events.add(new RoundStarted(r, "", a, List.of(), null, null));
    }
    return given(events);
  }

  private static List<String> noticesFor(String sid) {
    return notices.stream().filter(s -> s.contains(sid)).toList();
  }

  @Test
  void silentMembers_getTheRoundAgainOncePerInterval() {
    SilentMembers silent = silent();
    CollabSession s = inRound("sm-once", 1);
    Instant due = s.round().startedAt().plus(RENOTIFY);

    silent.renotify(s, due.minusSeconds(1));
    silent.renotify(s, due);
    silent.renotify(s, due.plusSeconds(1));

    // and no more than that: the two stay the only ones for half a second
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(noticesFor("sm-once"))
                    .containsExactlyInAnyOrder(
                        Subjects.collabRound("sm-once", "n1"),
                        Subjects.collabRound("sm-once", "n2")));
  }

  @Test
  void aNewRound_forgetsTheLastRoundsNotices() {
    SilentMembers silent = silent();
    CollabSession one = inRound("sm-rounds", 1);
    silent.renotify(one, one.round().startedAt().plus(RENOTIFY));
    assertThat(silent.remembered()).isEqualTo(2);

    CollabSession two = inRound("sm-rounds", 2);
    silent.renotify(two, two.round().startedAt().plus(RENOTIFY));

    assertThat(silent.remembered()).isEqualTo(2);
    // round 2's interval counts from round 2's start, not from round 1's notices
    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(noticesFor("sm-rounds")).hasSize(4));
  }

  @Test
  void sessionsNoLongerOpen_areForgotten() {
    SilentMembers silent = silent();
    CollabSession a = inRound("sm-a", 1);
    CollabSession b = inRound("sm-b", 1);
    Instant late = a.round().startedAt().plus(ALIVE_AFTER);
    for (CollabSession s : List.of(a, b)) {
      // Nobody answers on this server: both members are reported not alive.
      assertThat(silent.aliveChecks(s, late)).containsExactlyInAnyOrder("n1", "n2");
      silent.renotify(s, late);
    }
    assertThat(silent.remembered()).isEqualTo(8);

    silent.forgetAllBut(Set.of("sm-a"));
    assertThat(silent.remembered()).isEqualTo(4);
    // sm-a's times are kept: its members are not asked again within the interval
    assertThat(silent.aliveChecks(a, late.plusSeconds(1))).isEmpty();

    silent.forgetAllBut(Set.of());
    assertThat(silent.remembered()).isZero();
  }
}
