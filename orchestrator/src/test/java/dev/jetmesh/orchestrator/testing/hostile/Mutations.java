package dev.jetmesh.orchestrator.testing.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The hostile values themselves: ids that would break a subject, values of the wrong JSON type for
 * a field's Java type, and bodies that are not JSON or not an object. Stateless; every choice comes
 * from the caller's seeded {@link Random}.
 */
final class Mutations {
  /**
   * Ids that must never become a subject token: NATS separators and wildcards, white space and
   * control characters, non-ASCII letters, look-alikes of system subjects, too long, NUL.
   */
  static final List<String> BAD_IDS =
      List.of(
          "a.b",
          "a*",
          "*",
          ">",
          "a>",
          "a.>",
          "a.*.b",
          "a b",
          " a",
          "a\t",
          "a\nb",
          "a\rb",
          "ä",
          "日本",
          "😀",
          "a\u0001",
          "a\u007f",
          "\u202ea",
          "a\u200b",
          "a/b",
          "a\\b",
          "$JS.API.STREAM.DELETE.MESH_EVENTS",
          "_INBOX.x",
          "a..b",
          ".",
          "..",
          "x".repeat(201),
          "a\u0000",
          "a\"b",
          "a'b",
          "a%2Eb",
          "a;DROP TABLE task",
          "${jndi:x}");

  /** Blank ways to leave an id out. */
  static final List<Object> BLANK_IDS = List.of("", " ", "\t", "\u00a0");

  /** Bodies that are not JSON at all, whatever the subject. */
  private static final List<String> NOT_JSON =
      List.of(
          "{",
          "}",
          "{\"task_id\":}",
          "{'task_id':'x'}",
          "{\"a\":1,}",
          "{\"a\" 1}",
          "NaN",
          "{\"a\":NaN}",
          "{\"a\":01}",
          "{\"a\":1}}",
          "{\"a\":\"\\x\"}",
          "{\"a\":tru}",
          "<xml/>",
          "task_id=x",
          "{\"a\":1} {\"b\":2}",
          "\u0000",
          "{\"a\":\"");

  /** JSON, but not an object. */
  static final List<String> NOT_OBJECT =
      List.of("[]", "[{}]", "1", "-0.5", "\"s\"", "true", "null", "[null]", "1e999999");

  private Mutations() {}

  static <T> T pick(Random r, List<T> xs) {
    return xs.get(r.nextInt(xs.size()));
  }

  /** A body that does not parse: a catalogue entry, the base cut short, or broken bytes. */
  static byte[] brokenJson(Random r, Map<String, Object> base) {
    byte[] whole = bytes(base);
    return switch (r.nextInt(5)) {
      case 0, 1 -> pick(r, NOT_JSON).getBytes(StandardCharsets.UTF_8);
      case 2 -> java.util.Arrays.copyOf(whole, 1 + r.nextInt(Math.max(1, whole.length - 2)));
      case 3 -> concat(whole, " trailing".getBytes(StandardCharsets.UTF_8));
      default -> {
        // invalid UTF-8 inside a string: a lone continuation byte or a cut multi-byte sequence
        byte[] bad = {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        if (r.nextBoolean()) {
          bad[6] = (byte) 0x80;
        }
        yield bad;
      }
    };
  }

  /** {@code {"a": [[[ ... ]]]}} nested deeper than any parser should follow. */
  static byte[] deep(Random r) {
    int depth = 1500 + r.nextInt(5000);
    String open = r.nextBoolean() ? "[" : "{\"a\":";
    String close = open.equals("[") ? "]" : "}";
    return ("{\"a\":" + open.repeat(depth) + "1" + close.repeat(depth) + "}")
        .getBytes(StandardCharsets.UTF_8);
  }

  /**
   * A value of another JSON type than {@code type} takes, or null when the field takes any JSON (a
   * {@link JsonNode}).
   */
  static JsonNode wrongType(Random r, Class<?> type) {
    var f = Json.mapper().getNodeFactory();
    List<JsonNode> c = new ArrayList<>();
    JsonNode obj = f.objectNode().put("x", 1);
    JsonNode arr = f.arrayNode().add("x");
    if (type == String.class) {
      c.addAll(List.of(f.numberNode(123), f.booleanNode(true), obj, arr, f.numberNode(1.5)));
    } else if (type == Integer.class || type == Long.class || type == int.class) {
      c.addAll(
          List.of(
              f.textNode("7"),
              f.numberNode(new BigDecimal("1.5")),
              f.booleanNode(true),
              obj,
              arr,
              f.numberNode(new BigDecimal("1e400")),
              f.numberNode(new BigInteger("99999999999999999999999"))));
    } else if (type == Boolean.class || type == boolean.class) {
      c.addAll(List.of(f.textNode("true"), f.numberNode(1), obj, arr));
    } else if (type == BigDecimal.class) {
      c.addAll(List.of(f.textNode("1"), f.booleanNode(true), obj, arr));
    } else if (List.class.isAssignableFrom(type)) {
      c.addAll(List.of(f.textNode("x"), f.numberNode(1), obj, f.booleanNode(false)));
    } else {
      c.addAll(List.of(f.textNode("x"), f.numberNode(1), f.booleanNode(true), arr));
    }
    return pick(r, c);
  }

  /** The snake_case JSON names and Java types of {@code type}'s fields, less free JSON fields. */
  static List<Map.Entry<String, Class<?>>> typedFields(Class<?> type) {
    var snake = new PropertyNamingStrategies.SnakeCaseStrategy();
    List<Map.Entry<String, Class<?>>> out = new ArrayList<>();
    for (var c : type.getRecordComponents()) {
      if (!JsonNode.class.isAssignableFrom(c.getType()) && c.getType() != Object.class) {
        out.add(Map.entry(snake.translate(c.getName()), c.getType()));
      }
    }
    return out;
  }

  static ObjectNode tree(Map<String, Object> m) {
    return Json.mapper().valueToTree(m);
  }

  static byte[] bytes(Object o) {
    try {
      return Json.mapper().writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code body} followed by spaces up to exactly {@code size} bytes (still the same JSON). */
  static byte[] padTo(byte[] body, int size) {
    byte[] out = java.util.Arrays.copyOf(body, Math.max(size, body.length));
    java.util.Arrays.fill(out, body.length, out.length, (byte) ' ');
    return out;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
