package dev.jetmesh.orchestrator.testing.hostile;

import static dev.jetmesh.orchestrator.testing.hostile.Mutations.bytes;
import static dev.jetmesh.orchestrator.testing.hostile.Mutations.pick;
import static dev.jetmesh.orchestrator.testing.hostile.WireProbes.utf8;
import static dev.jetmesh.orchestrator.testing.hostile.WireShapes.body;

import dev.jetmesh.orchestrator.testing.hostile.HostileFixtures.Known;
import dev.jetmesh.orchestrator.testing.hostile.Probe.Expect;
import dev.jetmesh.schema.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Well-formed requests the rules must refuse: the fixtures attacked (another node's task, stale and
 * forged claim tokens, finished tasks and plans, a removed node, the fixtures' own requests
 * replayed) and subjects nobody serves.
 */
final class FixtureProbes {
  private static final Expect INVALID = Expect.code(ErrorCode.INVALID_REQUEST);
  static final List<String> FENCED =
      List.of("start", "attempt", "heartbeat", "complete", "fail", "release");

  private final Known k;
  private final List<WireProbes.Maker> makers = new ArrayList<>();

  private FixtureProbes(Known k) {
    this.k = k;
  }

  static List<WireProbes.Maker> makers(Known k) {
    FixtureProbes f = new FixtureProbes(k);
    f.fixtures();
    f.unknownSubjects();
    return List.copyOf(f.makers);
  }

  private void fixtures() {
    for (String op : FENCED) {
      String subject = "mesh.tasks." + op;
      wire(subject, "not-owner", Expect.code(ErrorCode.NOT_OWNER), (i, r) -> notOwner(k, r));
      wire(
          subject,
          "stale-token",
          Expect.code(ErrorCode.STALE_TOKEN),
          (i, r) ->
              bytes(
                  body(
                      "task_id",
                      k.staleTask(),
                      "node_id",
                      k.staleOwner(),
                      "claim_token",
                      k.staleToken())));
      wire(
          subject,
          "wrong-token",
          Expect.code(ErrorCode.STALE_TOKEN),
          (i, r) ->
              bytes(
                  body(
                      "task_id",
                      k.heldTask(),
                      "node_id",
                      k.heldNode(),
                      "claim_token",
                      pick(
                          r,
                          List.of(
                              k.heldToken() + 1,
                              k.heldToken() - 1,
                              0L,
                              -1L,
                              Long.MAX_VALUE,
                              Long.MIN_VALUE,
                              k.staleToken())))));
      // The last owner may still report the attempt it was running when the task ended (a late
      // report, kept as history), so the finished task of an attempt is the cancelled one.
      List<String> finished =
          op.equals("attempt")
              ? List.of(k.cancelledTask())
              : List.of(k.doneTask(), k.cancelledTask());
      wire(
          subject,
          "finished-task",
          Expect.code(ErrorCode.CONFLICT),
          (i, r) ->
              bytes(
                  body(
                      "task_id",
                      pick(r, finished),
                      "node_id",
                      k.doneNode(),
                      "claim_token",
                      k.doneToken())));
      wire(
          subject,
          "no-such-task",
          Expect.code(ErrorCode.NOT_FOUND),
          (i, r) ->
              bytes(body("task_id", "hx-missing-" + i, "node_id", k.heldNode(), "claim_token", 1)));
    }
    wire(
        "mesh.tasks.cancel",
        "finished-task",
        Expect.code(ErrorCode.CONFLICT),
        (i, r) ->
            bytes(
                body("task_id", pick(r, List.of(k.doneTask(), k.cancelledTask())), "reason", "r")));
    wire(
        "mesh.tasks.claim",
        "holder-claims-again",
        Expect.code(ErrorCode.ALREADY_ACTIVE),
        (i, r) -> bytes(body("node_id", pick(r, List.of(k.heldNode(), k.staleOwner())))));
    wire(
        "mesh.collab.join",
        "no-such-session",
        Expect.code(ErrorCode.NOT_FOUND),
        (i, r) -> bytes(body("session_id", "hx-missing-" + i, "node_id", "hx-new-" + i)));
    collabUnderWay();
    wire(
        "mesh.plans.approve",
        "finished-plan",
        Expect.code(ErrorCode.CONFLICT),
        (i, r) -> bytes(body("plan_id", k.abortedPlan())));
    wire(
        "mesh.plans.abort",
        "finished-plan",
        Expect.code(ErrorCode.CONFLICT),
        (i, r) -> bytes(body("plan_id", k.abortedPlan(), "reason", "again")));
    wire(
        "mesh.nodes.remove",
        "removed-node",
        Expect.code(ErrorCode.CONFLICT),
        (i, r) -> bytes(body("node_id", k.removedNode())));
    for (HostileFixtures.Replay p : k.replays()) {
      wire(p.subject(), "replay", replayed(p.subject()), (i, r) -> p.body());
    }
  }

  /**
   * A request sent again once it took effect: a submit names a task that exists, a claim comes from
   * a node that holds the task it got, anything else meets a state it already changed.
   */
  private static Expect replayed(String subject) {
    return switch (subject) {
      case "mesh.tasks.submit" -> Expect.code(ErrorCode.ALREADY_EXISTS);
      case "mesh.tasks.claim" -> Expect.code(ErrorCode.ALREADY_ACTIVE);
      default -> Expect.code(ErrorCode.CONFLICT);
    };
  }

  /**
   * What only a session's members, its open round or its coordinator may do, tried by others, for
   * other rounds and twice. A leave by a non-member is not here: it is accepted and changes
   * nothing.
   */
  private void collabUnderWay() {
    String sid = k.activeSession();
    String coordinator = HostileFixtures.COORDINATOR;
    String member = HostileFixtures.MEMBER;
    wire(
        "mesh.collab.reflect",
        "collab-not-member",
        Expect.code(ErrorCode.NOT_OWNER),
        (i, r) -> bytes(reflection(sid, pick(r, List.of(k.heldNode(), "hx-intruder")), 1)));
    wire(
        "mesh.collab.reflect",
        "collab-other-round",
        Expect.detail(ErrorCode.CONFLICT, "Reflection for round"),
        (i, r) -> bytes(reflection(sid, member, pick(r, List.of(2, 3, 99)))));
    wire(
        "mesh.collab.reflect",
        "collab-reflected-already",
        Expect.detail(ErrorCode.CONFLICT, "Cannot submit reflection to"),
        (i, r) -> bytes(reflection(sid, coordinator, 1)));
    wire(
        "mesh.collab.vote",
        "collab-not-coordinator",
        Expect.code(ErrorCode.NOT_OWNER),
        // round 99: even were the coordinator to change, this vote could never count
        (i, r) -> bytes(vote(sid, pick(r, List.of(member, k.heldNode())), 99)));
    wire(
        "mesh.collab.vote",
        "collab-other-round",
        Expect.detail(ErrorCode.CONFLICT, "Vote for round"),
        (i, r) -> bytes(vote(sid, coordinator, pick(r, List.of(2, 7)))));
    wire(
        "mesh.collab.join",
        "collab-closed",
        Expect.code(ErrorCode.CONFLICT),
        (i, r) -> bytes(body("session_id", sid, "node_id", "hx-late-" + i)));
    wire(
        "mesh.collab.assignment",
        "collab-not-member",
        Expect.code(ErrorCode.NOT_OWNER),
        (i, r) ->
            bytes(body("session_id", sid, "node_id", pick(r, List.of(k.heldNode(), "hx-x")))));
  }

  /** A fenced command on the held task, with its token, by a node that does not hold it. */
  static byte[] notOwner(Known k, Random r) {
    return bytes(
        body(
            "task_id",
            k.heldTask(),
            "node_id",
            pick(r, List.of(k.doneNode(), k.staleNode(), "hx-intruder")),
            "claim_token",
            k.heldToken()));
  }

  private static Map<String, Object> vote(String sid, String node, int round) {
    return body("session_id", sid, "node_id", node, "round", round, "vote", "converged");
  }

  private static Map<String, Object> reflection(String sid, String node, int round) {
    return body(
        "session_id", sid, "node_id", node, "round", round, "summary", "s", "vote", "converged");
  }

  private void unknownSubjects() {
    for (String s :
        List.of(
            "mesh.tasks.nope",
            "mesh.tasks.SUBMIT",
            "mesh.tasks.ä",
            "mesh.collab.nope",
            "mesh.collab._",
            "mesh.plans.nope",
            "mesh.plans.subtask",
            "mesh.plans.subtask.update.x",
            "mesh.plans.a.b.c.d",
            "mesh.nodes.nope",
            "mesh.nodes.-")) {
      String family = s.substring(0, s.indexOf('.', 5) + 1) + "(unknown)";
      makers.add((i, r) -> new Probe.Wire(family, "unknown-subject", s, utf8("{}"), INVALID));
    }
  }

  private void wire(String subject, String category, Expect e, Body body) {
    makers.add((i, r) -> new Probe.Wire(subject, category, subject, body.make(i, r), e));
  }

  @FunctionalInterface
  private interface Body {
    byte[] make(int i, Random r);
  }
}
