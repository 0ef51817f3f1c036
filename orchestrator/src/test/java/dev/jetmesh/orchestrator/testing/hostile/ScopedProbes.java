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
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * The subjects a request reaches the orchestrator on besides its plain one. Node-scoped ({@code
 * mesh.as.<node>.<op>}, the only request subjects a worker may publish once NATS logins are on):
 * the orchestrator binds the body to the sender, so a body that names another node, in any form, is
 * refused {@code NOT_OWNER}; the sender's own command on a task it does not hold is refused by the
 * rules; an operation not served node-scoped, or a sender that is no valid id, is an unknown
 * subject; a body that is no JSON object is refused as on the plain subject. Forwarded ({@code
 * mesh.orchestrator.fwd.<subject>}, which only a standby may send, with NATS permissions): the same
 * rules as the plain subject. And a forged primary beat, published where standbys listen.
 */
final class ScopedProbes {
  private static final Expect INVALID = Expect.code(ErrorCode.INVALID_REQUEST);
  private static final Expect NOT_OWNER = Expect.code(ErrorCode.NOT_OWNER);
  private static final Expect UNKNOWN = Expect.detail(ErrorCode.INVALID_REQUEST, "Unknown subject");
  private static final String TOO_LARGE = "Payload too large";

  /** What a node may send node-scoped, acting as itself: {@code NodeScope}'s list. */
  private static final List<String> ACTS =
      List.of(
          "tasks.claim",
          "tasks.start",
          "tasks.attempt",
          "tasks.heartbeat",
          "tasks.complete",
          "tasks.fail",
          "tasks.release",
          "collab.join",
          "collab.leave",
          "collab.reflect",
          "collab.vote",
          "collab.assignment",
          "nodes.join");

  /** Reads a node may send node-scoped. */
  private static final List<String> READS =
      List.of("tasks.get", "tasks.list", "collab.status", "collab.find", "collab.recruiting");

  /** Operations served on their plain subject only. */
  private static final List<String> NOT_SCOPED =
      List.of(
          "tasks.submit",
          "tasks.cancel",
          "collab.create",
          "plans.create",
          "plans.approve",
          "plans.abort",
          "plans.subtask.update",
          "plans.get",
          "plans.list",
          "nodes.get",
          "nodes.list",
          "nodes.remove");

  private final Known k;
  private final int limit;
  private final List<WireProbes.Maker> makers = new ArrayList<>();

  private ScopedProbes(Known k, int limit) {
    this.k = k;
    this.limit = limit;
  }

  static List<WireProbes.Maker> makers(Known k, int maxRequestBytes) {
    ScopedProbes s = new ScopedProbes(k, maxRequestBytes);
    List<String> served = new ArrayList<>(ACTS);
    served.addAll(READS);
    served.forEach(s::asNode);
    FixtureProbes.FENCED.forEach(s::asNodeOnOthersTask);
    NOT_SCOPED.forEach(s::notScoped);
    s.badSenders();
    FixtureProbes.FENCED.forEach(s::forwarded);
    s.forgedBeat();
    return List.copyOf(s.makers);
  }

  /** Bodies that name another node, or are no JSON object, on a node-scoped subject. */
  private void asNode(String op) {
    String subject = "mesh.as." + k.heldNode() + "." + op;
    wire(
        op,
        subject,
        "as-other-node",
        NOT_OWNER,
        (i, r) ->
            bytes(
                body(
                    "node_id",
                    pick(r, List.of(k.doneNode(), k.staleNode(), k.staleOwner(), "hx-intruder")),
                    "task_id",
                    k.heldTask(),
                    "claim_token",
                    k.heldToken())));
    wire(
        op,
        subject,
        "as-node-wrong-type",
        NOT_OWNER,
        (i, r) ->
            utf8(
                "{\"node_id\":"
                    + pick(r, List.of("1", "true", "[\"" + k.heldNode() + "\"]", "{\"a\":1}"))
                    + "}"));
    wire(
        op,
        subject,
        "as-node-hostile-id",
        NOT_OWNER,
        (i, r) ->
            bytes(
                body(
                    "node_id",
                    r.nextInt(4) == 0
                        ? k.heldNode() + "x".repeat(200 + r.nextInt(limit / 4))
                        : pick(r, Mutations.BAD_IDS))));
    wire(
        op,
        subject,
        "as-broken-json",
        INVALID,
        (i, r) -> Mutations.brokenJson(r, body("task_id", k.heldTask())));
    wire(op, subject, "as-not-object", INVALID, (i, r) -> utf8(pick(r, Mutations.NOT_OBJECT)));
    wire(
        op,
        subject,
        "as-size-over-limit",
        Expect.detail(ErrorCode.INVALID_REQUEST, TOO_LARGE),
        (i, r) -> Mutations.padTo(bytes(body("task_id", k.heldTask())), limit + 1 + r.nextInt(64)));
  }

  /** A node's own command on a task it does not hold, or with a claim it lost. */
  private void asNodeOnOthersTask(String op) {
    wire(
        "tasks." + op,
        null,
        "as-not-holder",
        NOT_OWNER,
        (i, r) -> bytes(body("task_id", k.heldTask(), "claim_token", k.heldToken())));
    wire(
        "tasks." + op,
        "mesh.as." + k.staleOwner() + ".tasks." + op,
        "as-stale-token",
        Expect.code(ErrorCode.STALE_TOKEN),
        (i, r) -> bytes(body("task_id", k.staleTask(), "claim_token", k.staleToken())));
  }

  private void notScoped(String op) {
    wire(op, "mesh.as." + k.heldNode() + "." + op, "as-not-served", UNKNOWN, (i, r) -> utf8("{}"));
  }

  /**
   * Senders that are no id, and node-scoped and forwarded subjects nested in each other: each is
   * nobody's subject.
   */
  private void badSenders() {
    for (String subject :
        List.of(
            "mesh.as." + k.heldNode() + ".as." + k.staleOwner() + ".tasks.claim",
            "mesh.as." + k.heldNode() + ".orchestrator.fwd.mesh.tasks.claim",
            // (mesh.as.<node> alone is under no subscription: NATS itself answers "no
            // responders", and no orchestrator sees it)
            "mesh.orchestrator.fwd.mesh.as." + k.heldNode() + ".tasks.claim")) {
      makers.add(
          (i, r) -> new Probe.Wire("mesh.as.(nested)", "as-nested", subject, utf8("{}"), UNKNOWN));
    }
    for (String sender :
        List.of("A$B", "a%2Eb", "ä", "x".repeat(201), "a:b", "a/b", "a\\b", "~", "%00", "a@b")) {
      String subject = "mesh.as." + sender + ".tasks.claim";
      makers.add(
          (i, r) ->
              new Probe.Wire(
                  "mesh.as.(bad sender).tasks.claim",
                  "as-bad-sender",
                  subject,
                  utf8("{}"),
                  UNKNOWN));
    }
  }

  /** The plain subject's rules hold for a forwarded request too. */
  private void forwarded(String op) {
    String subject = "mesh.orchestrator.fwd.mesh.tasks." + op;
    makers.add(
        (i, r) ->
            new Probe.Wire(
                subject, "fwd-not-owner", subject, FixtureProbes.notOwner(k, r), NOT_OWNER));
    makers.add(
        (i, r) ->
            new Probe.Wire(
                subject,
                "fwd-broken-json",
                subject,
                Mutations.brokenJson(r, body("task_id", k.heldTask())),
                INVALID));
  }

  /**
   * A beat that is not the primary's: a primary keeps serving whatever it hears, and this mesh's
   * standbys (none in the hostile run) would only step aside for a while.
   */
  private void forgedBeat() {
    makers.add(
        (i, r) ->
            new Probe.Publish(
                "mesh.orchestrator.primary",
                "forged-primary-beat",
                "mesh.orchestrator.primary",
                utf8(pick(r, List.of("", "x", "{}", "00000000-0000-0000-0000-000000000000")))));
  }

  /**
   * A probe on node-scoped {@code op}, sent as the held task's node, or on {@code subject} when it
   * is given; figures are counted under {@code mesh.as.*.<op>}, never the sender.
   */
  private void wire(String op, @Nullable String subject, String category, Expect e, Body body) {
    String target = "mesh.as.*." + op;
    makers.add(
        (i, r) -> {
          String s =
              subject != null
                  ? subject
                  : "mesh.as." + pick(r, List.of(k.doneNode(), k.staleNode())) + "." + op;
          return new Probe.Wire(target, category, s, body.make(i, r), e);
        });
  }

  @FunctionalInterface
  private interface Body {
    byte[] make(int i, Random r);
  }
}
