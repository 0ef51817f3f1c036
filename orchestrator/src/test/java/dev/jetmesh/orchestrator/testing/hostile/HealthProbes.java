package dev.jetmesh.orchestrator.testing.hostile;

import static dev.jetmesh.orchestrator.testing.hostile.Mutations.pick;
import static dev.jetmesh.orchestrator.testing.hostile.WireProbes.utf8;

import dev.jetmesh.orchestrator.testing.hostile.HostileFixtures.Known;
import java.util.List;
import java.util.Map;

/**
 * Health beats ({@code mesh.health.<node>}) are published, never answered: a hostile one must be
 * dropped without a trace. Beats of nodes that never joined, garbage beats of a joined node, beats
 * too large, and subjects whose last token is no id.
 */
final class HealthProbes {
  private static final String TARGET = "mesh.health.*";

  private HealthProbes() {}

  static List<WireProbes.Maker> makers(Known k) {
    String joined = "mesh.health." + k.joinedNode();
    return List.of(
        (i, r) -> beat("unknown-node", "mesh.health.hx-stranger-" + i, "{\"current_task\":null}"),
        (i, r) ->
            beat(
                "unknown-node",
                "mesh.health." + k.heldNode(),
                "{\"current_task\":\"" + k.heldTask() + "\"}"),
        (i, r) ->
            new Probe.Publish(
                TARGET,
                "broken-json",
                joined,
                Mutations.brokenJson(r, Map.of("current_task", "x"))),
        (i, r) -> beat("not-object", joined, pick(r, Mutations.NOT_OBJECT)),
        (i, r) -> beat("nul-char", joined, "{\"current_task\":\"a\\u0000\"}"),
        (i, r) ->
            beat(
                "size-over-limit",
                joined,
                "{\"x\":\"" + "a".repeat(64 * 1024 + r.nextInt(64 * 1024)) + "\"}"),
        (i, r) ->
            beat(
                "bad-subject",
                pick(
                    r,
                    List.of(
                        "mesh.health.a.b",
                        "mesh.health.ä",
                        "mesh.health." + "x".repeat(201),
                        "mesh.health.hx-joined.x")),
                "{}"));
  }

  private static Probe beat(String category, String subject, String body) {
    return new Probe.Publish(TARGET, category, subject, utf8(body));
  }
}
