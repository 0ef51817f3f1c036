package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.CollabEvent;
import dev.jetmesh.schema.events.CollabEvent.NodeJoined;
import dev.jetmesh.schema.events.CollabEvent.ReflectionSubmitted;
import dev.jetmesh.schema.events.CollabEvent.SessionCreated;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.CollabConvergence;
import dev.jetmesh.schema.model.CollabMode;
import dev.jetmesh.schema.model.CollabReflection;
import dev.jetmesh.schema.model.CollabRound;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.CollabSpec;
import dev.jetmesh.schema.model.ConvergenceType;
import dev.jetmesh.schema.model.ReflectionVote;
import dev.jetmesh.schema.model.Vote;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The "given" of the collab rule tests: specs, reflections, and sessions folded from events with
 * {@link CollabEvolver}, the i-th event at {@link #T0} + i seconds and stream sequence i + 1.
 */
final class CollabGiven {
  static final String SID = "collab-t1-1";
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);

  private CollabGiven() {}

  /** parallel, unanimous, 2..{@code maxNodes} nodes, 30 s join window, 5 rounds, quorum 2. */
  static CollabSpec spec(CollabMode mode, ConvergenceType type, Integer maxNodes) {
    return spec(mode, new CollabConvergence(type, 0.66, null, 2, null, null, null), maxNodes, null);
  }

  static CollabSpec spec(
      CollabMode mode, CollabConvergence rule, Integer maxNodes, Integer roundTimeoutS) {
    return new CollabSpec(mode, 2, maxNodes, 30, 5, rule, "shared", roundTimeoutS);
  }

  static CollabSpec spec() {
    return spec(CollabMode.PARALLEL, ConvergenceType.UNANIMOUS, null);
  }

  static SessionCreated created(CollabSpec spec) {
    return new SessionCreated(SID, "t1", "Fix it", List.of("src/a", "src/b"), spec, null);
  }

  static NodeJoined joined(String node) {
    return new NodeJoined(node, "worker", T0.plusSeconds(31));
  }

  static CollabReflection reflection(String node, Vote vote) {
    return reflection(node, vote, null);
  }

  static CollabReflection reflection(String node, Vote vote, Boolean metricPassed) {
    return new CollabReflection(
        node,
        "did " + node,
        "",
        List.of(node + ".txt"),
        0.8,
        vote,
        false,
        metricPassed,
        null,
        null,
        T0);
  }

  static CollabReflection failed(String node) {
    return new CollabReflection(
        node,
        "garbled",
        "",
        List.of(),
        0.5,
        ReflectionVote.Unparsed.PARSE_ERROR,
        true,
        null,
        null,
        null,
        T0);
  }

  static ReflectionSubmitted reflected(int round, String node, Vote vote) {
    return new ReflectionSubmitted(round, reflection(node, vote));
  }

  /** An open round with these reflections and coordinator vote, for tallies. */
  static CollabRound round(List<CollabReflection> reflections, Vote coordinatorVote) {
    return new CollabRound(
        1,
        T0,
        null,
        T0.plus(DEFAULT_TIMEOUT),
        "",
        List.of(),
        List.of(),
        reflections,
        coordinatorVote,
        coordinatorVote == null ? null : "n1",
        null,
        false);
  }

  static StoredEvent stored(CollabEvent e, long seq, Instant at) {
    return new StoredEvent(
        seq, Subjects.collabEvents(SID), Envelope.wrap(e, SID, "test", null, at));
  }

  /** The session after {@code events}; null when there are none. */
  static CollabSession given(CollabEvent... events) {
    return given(List.of(events));
  }

  static CollabSession given(List<? extends CollabEvent> events) {
    CollabSession s = null;
    for (int i = 0; i < events.size(); i++) {
      s = CollabEvolver.evolve(s, stored(events.get(i), i + 1, T0.plusSeconds(i)));
    }
    return s;
  }

  /** {@code events} followed by {@code more}. */
  static List<CollabEvent> append(List<? extends CollabEvent> events, CollabEvent... more) {
    List<CollabEvent> out = new ArrayList<>(events);
    out.addAll(List.of(more));
    return out;
  }
}
