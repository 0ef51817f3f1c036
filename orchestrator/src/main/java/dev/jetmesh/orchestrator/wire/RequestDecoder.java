package dev.jetmesh.orchestrator.wire;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Turns a request body into a record, or an {@link InvalidRequestException} whose message says
 * exactly what is wrong: not JSON, not an object, an unknown field, a field of the wrong type. An
 * empty body is {@code {}}, as in the reference. Thread-safe.
 */
public final class RequestDecoder {
  private RequestDecoder() {}

  /**
   * Reads decimals as written, never through a double: a cost, a budget or a score is compared and
   * summed exactly, so {@code 0.1} must stay 0.1 however many digits follow.
   */
  private static final com.fasterxml.jackson.databind.ObjectReader EXACT =
      Json.mapper()
          .reader()
          .with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** A Java class name as Jackson quotes it: {@code `com.fasterxml...JsonNode`}. */
  private static final java.util.regex.Pattern JAVA_NAME =
      java.util.regex.Pattern.compile("`[a-z][\\w$]*(\\.[\\w$]+)+`");

  /** Parses {@code body} as a JSON object. */
  public static JsonNode tree(byte[] body) {
    if (body == null || body.length == 0) {
      return Json.mapper().createObjectNode();
    }
    JsonNode n;
    try {
      n = EXACT.readTree(body);
    } catch (MismatchedInputException e) {
      // Jackson's own words name its classes and settings; say what is wrong instead.
      throw new InvalidRequestException(
          e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Trailing token")
              ? "Invalid JSON: more content after the end of the object"
              : "Invalid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new InvalidRequestException("Invalid JSON: " + firstLine(e.getMessage()));
    }
    if (n == null || n.isMissingNode()) {
      return Json.mapper().createObjectNode();
    }
    if (!n.isObject()) {
      throw new InvalidRequestException("Request body must be a JSON object");
    }
    return clean(n, "");
  }

  /**
   * Refuses a NUL character (\u0000) anywhere in the request, names and values: valid JSON, but
   * Postgres can store it neither in text nor in jsonb, so an event carrying one would halt the
   * projector (it would be parked as poison) instead of being refused here. Replaces each unpaired
   * surrogate ({@code "\ud800"}: valid JSON, but no character) with U+FFFD: the database driver
   * would store it as {@code ?}, so the read model would silently differ from the event; an agent
   * that cut an emoji in half when it shortened a text should not have its report refused.
   */
  private static JsonNode clean(JsonNode n, String path) {
    if (n.isTextual()) {
      String t = n.textValue();
      if (t.indexOf('\0') >= 0) {
        throw new InvalidRequestException(
            "Field '" + (path.isEmpty() ? "(body)" : path) + "' must not contain a NUL character");
      }
      return unpaired(t) ? Json.mapper().getNodeFactory().textNode(wellFormed(t)) : n;
    }
    if (n instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        a.set(i, clean(a.get(i), path + "[" + i + "]"));
      }
    } else if (n instanceof ObjectNode o) {
      for (var e : new java.util.ArrayList<>(o.properties())) {
        String name = e.getKey();
        if (name.indexOf('\0') >= 0) {
          throw new InvalidRequestException("Field names must not contain a NUL character");
        }
        o.set(name, clean(e.getValue(), path.isEmpty() ? name : path + "." + name));
      }
    }
    return n;
  }

  /** True when {@code s} has a surrogate that is not half of a pair. */
  static boolean unpaired(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  /** {@code s} with U+FFFD for each unpaired surrogate. */
  static String wellFormed(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        out.append(c).append(s.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\uFFFD' : c);
      }
    }
    return out.toString();
  }

  /** Binds {@code tree} to {@code type}, strictly. */
  public static <T> T bind(JsonNode tree, Class<T> type) {
    try {
      return Json.mapper().treeToValue(tree, type);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidRequestException("Unknown field '" + e.getPropertyName() + "'");
    } catch (InvalidFormatException e) {
      // Jackson reports a refused coercion (a number where a string belongs) as a format error;
      // only a string that does not parse is an "invalid value".
      if (!(e.getValue() instanceof String)) {
        throw new InvalidRequestException(
            "Field '" + path(e) + "' has the wrong type: expected " + expected(e.getTargetType()));
      }
      throw new InvalidRequestException(
          "Field '" + path(e) + "' has an invalid value: " + e.getValue());
    } catch (MismatchedInputException e) {
      throw new InvalidRequestException(
          "Field '" + path(e) + "' has the wrong type: expected " + expected(e.getTargetType()));
    } catch (JsonMappingException e) {
      Throwable c = e.getCause();
      if (c instanceof MeshException m) {
        throw new InvalidRequestException(m.getMessage());
      }
      throw new InvalidRequestException(
          "Field '" + path(e) + "' is invalid: " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("Invalid request: " + firstLine(e.getOriginalMessage()));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("Invalid request: " + firstLine(e.getMessage()));
    }
  }

  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.isEmpty() ? "(body)" : sb.toString();
  }

  private static String expected(Class<?> t) {
    if (t == null) {
      return "another type";
    }
    if (t == String.class) {
      return "string";
    }
    if (t == Integer.class || t == int.class || t == Long.class || t == long.class) {
      return "integer";
    }
    if (t == Boolean.class || t == boolean.class) {
      return "boolean";
    }
    if (java.util.List.class.isAssignableFrom(t)) {
      return "array";
    }
    if (Number.class.isAssignableFrom(t)) {
      return "number";
    }
    return "object";
  }

  /**
   * The first line of a parser's message, with every {@code `java.type.Name`} it quotes replaced by
   * "a value": a caller reads what is wrong with the request, never the server's class names.
   */
  private static String firstLine(@Nullable String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return JAVA_NAME.matcher(nl < 0 ? s : s.substring(0, nl)).replaceAll("a value");
  }

  /** Parses and binds a request body in one step. */
  public static <T> T decode(byte[] body, Class<T> type) {
    return bind(tree(body), type);
  }

  /**
   * {@code id}, which must be present ({@code "<field> is required"}) and a valid subject token.
   */
  public static String requiredId(String field, String id) {
    if (blank(id)) {
      throw new InvalidRequestException(field + " is required");
    }
    return dev.jetmesh.schema.Ids.require(field, id);
  }

  /**
   * A list of strings, empty when absent, without nulls; with {@code ids}, every entry must be a
   * valid id and duplicates are dropped (keeping the first).
   */
  public static java.util.List<String> stringList(
      String field, java.util.List<String> in, boolean ids) {
    if (in == null) {
      return java.util.List.of();
    }
    for (String s : in) {
      if (s == null) {
        throw new InvalidRequestException("Field '" + field + "' must not contain null");
      }
      if (ids) {
        dev.jetmesh.schema.Ids.require(field + " entry", s);
      }
    }
    return ids
        ? java.util.List.copyOf(new java.util.LinkedHashSet<>(in))
        : java.util.List.copyOf(in);
  }

  public static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
