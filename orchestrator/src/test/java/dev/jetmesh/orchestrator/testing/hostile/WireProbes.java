package dev.jetmesh.orchestrator.testing.hostile;

import static dev.jetmesh.orchestrator.testing.hostile.Mutations.bytes;
import static dev.jetmesh.orchestrator.testing.hostile.Mutations.pick;
import static dev.jetmesh.orchestrator.testing.hostile.WireShapes.body;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.orchestrator.testing.hostile.HostileFixtures.Known;
import dev.jetmesh.orchestrator.testing.hostile.Probe.Expect;
import dev.jetmesh.orchestrator.testing.hostile.WireShapes.Shape;
import dev.jetmesh.schema.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The wire half of the attack: for every subject ({@link WireShapes}) every mutation that applies
 * to it, plus the attacks on the fixtures (another node's task, stale claim tokens, replays, wrong
 * states), subjects nobody serves, the node-scoped and forwarded forms of the subjects ({@link
 * ScopedProbes}) and health beats. Each maker builds probe number {@code i} from its own seeded
 * {@link Random}, so a run is the same for the same seed whatever the concurrency.
 */
final class WireProbes {
  /** Builds one probe. */
  @FunctionalInterface
  interface Maker {
    Probe make(int i, Random r);
  }

  private static final Expect INVALID = Expect.code(ErrorCode.INVALID_REQUEST);
  private static final String TOO_LARGE = "Payload too large";

  private final Known k;
  private final int limit;
  private final List<Maker> makers = new ArrayList<>();

  private WireProbes(Known k, int maxRequestBytes) {
    this.k = k;
    this.limit = maxRequestBytes;
  }

  /** Every wire maker, in a fixed order. */
  static List<Maker> makers(Known k, int maxRequestBytes) {
    WireProbes w = new WireProbes(k, maxRequestBytes);
    WireShapes.all(k).forEach(w::shape);
    w.makers.addAll(FixtureProbes.makers(k));
    w.makers.addAll(ScopedProbes.makers(k, maxRequestBytes));
    HealthProbes.makers(k).forEach(w.makers::add);
    return List.copyOf(w.makers);
  }

  private void shape(Shape s) {
    add(s, "broken-json", INVALID, (i, r) -> Mutations.brokenJson(r, s.base().apply(i)));
    add(s, "not-object", INVALID, (i, r) -> utf8(pick(r, Mutations.NOT_OBJECT)));
    add(s, "deep-nesting", INVALID, (i, r) -> Mutations.deep(r));
    add(s, "nul-char", INVALID, (i, r) -> nul(r, s.base().apply(i)));
    add(
        s,
        "size-under-limit",
        Expect.notFor(ErrorCode.INVALID_REQUEST, TOO_LARGE),
        (i, r) -> Mutations.padTo(nulName(), limit - r.nextInt(2)));
    add(
        s,
        "size-over-limit",
        Expect.detail(ErrorCode.INVALID_REQUEST, TOO_LARGE),
        (i, r) ->
            Mutations.padTo(bytes(s.base().apply(i)), limit + 1 + r.nextInt(2) * r.nextInt(limit)));
    if (s.type() == null) {
      return; // any JSON object is accepted: nothing else is wrong in a body
    }
    add(
        s,
        "unknown-field",
        INVALID,
        (i, r) -> {
          ObjectNode o = Mutations.tree(s.base().apply(i));
          o.put(
              pick(r, List.of("x", "TASK_ID", "task_id ", "taskId", "__proto__", "$where", "é")),
              1);
          return bytes(o);
        });
    var fields = Mutations.typedFields(s.type());
    add(
        s,
        "wrong-type",
        INVALID,
        (i, r) -> {
          var f = pick(r, fields);
          ObjectNode o = Mutations.tree(s.base().apply(i));
          o.set(f.getKey(), Mutations.wrongType(r, f.getValue()));
          return bytes(o);
        });
    if (s.idFields().isEmpty()) {
      return;
    }
    add(
        s,
        "bad-id",
        INVALID,
        (i, r) -> {
          Map<String, Object> b = s.base().apply(i);
          b.put(pick(r, s.idFields()), pick(r, Mutations.BAD_IDS));
          return bytes(b);
        });
    add(
        s,
        "bad-id-escaped",
        INVALID,
        (i, r) -> {
          // JSON escapes no encoder writes: a lone surrogate, an escaped NUL, an escaped dot
          String id = pick(r, List.of("\\ud800", "a\\u0000", "a\\u002eb", "\\u002a", "\\u003e"));
          return utf8("{\"" + pick(r, s.idFields()) + "\":\"" + id + "\"}");
        });
    add(
        s,
        "huge-id",
        INVALID,
        (i, r) -> {
          Map<String, Object> b = s.base().apply(i);
          b.put(pick(r, s.idFields()), "a".repeat(201 + r.nextInt(limit / 2)));
          return bytes(b);
        });
    if (s.required()) {
      add(
          s,
          "missing-id",
          INVALID,
          (i, r) -> {
            Map<String, Object> b = s.base().apply(i);
            String f = s.idFields().get(0);
            if (r.nextBoolean()) {
              b.remove(f);
            } else {
              b.put(f, pick(r, Mutations.BLANK_IDS));
            }
            return bytes(b);
          });
      add(s, "empty-body", INVALID, (i, r) -> utf8(pick(r, List.of("", "{}", "  ", "\n"))));
    }
  }

  private void add(
      Shape s,
      String category,
      Expect e,
      java.util.function.BiFunction<Integer, Random, byte[]> body) {
    wire(s.subject(), category, e, body::apply);
  }

  private void wire(String subject, String category, Expect e, Body body) {
    makers.add((i, r) -> new Probe.Wire(subject, category, subject, body.make(i, r), e));
  }

  @FunctionalInterface
  private interface Body {
    byte[] make(int i, Random r);
  }

  /** The base with a NUL in one of its string values, or in a new field's name. */
  private static byte[] nul(Random r, Map<String, Object> base) {
    List<String> strings =
        base.entrySet().stream()
            .filter(e -> e.getValue() instanceof String)
            .map(Map.Entry::getKey)
            .toList();
    if (strings.isEmpty() || r.nextBoolean()) {
      return nulName();
    }
    String f = pick(r, strings);
    base.put(f, base.get(f) + "\u0000");
    return bytes(base);
  }

  private static byte[] nulName() {
    return utf8("{\"x\\u0000\":1}");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
