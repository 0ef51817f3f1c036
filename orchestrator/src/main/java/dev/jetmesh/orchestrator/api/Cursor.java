package dev.jetmesh.orchestrator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.jetmesh.schema.InvalidRequestException;
import dev.jetmesh.schema.Json;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The opaque {@code next_cursor} of a listing: the sort key of the last row of a page, so the next
 * page starts right after it (keyset pagination: stable while rows are added, and as cheap on page
 * 1000 as on page 1). Encoded as base64url of a JSON array that starts with the listing's kind, so
 * a cursor of one listing is refused by another. Clients must not build or read cursors. Stateless.
 */
public final class Cursor {
  private Cursor() {}

  /** The cursor after a row whose sort key is {@code keys} (strings, numbers or instants). */
  public static String encode(String kind, Object... keys) {
    ArrayNode a = Json.mapper().createArrayNode().add(kind);
    for (Object k : keys) {
      switch (k) {
        case Long l -> a.add(l);
        case Integer i -> a.add(i);
        case Instant t -> a.add(t.toString());
        case String s -> a.add(s);
        default -> throw new IllegalArgumentException("not a cursor key: " + k.getClass());
      }
    }
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(a.toString().getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position a cursor of listing {@code kind} with {@code arity} keys holds; refused otherwise.
   */
  public static Position decode(String kind, String token, int arity) {
    try {
      JsonNode a = Json.mapper().readTree(Base64.getUrlDecoder().decode(token));
      if (a != null
          && a.isArray()
          && a.size() == arity + 1
          && kind.equals(a.get(0).asText())
          && allScalars(a)) {
        return new Position((ArrayNode) a);
      }
    } catch (IllegalArgumentException | java.io.IOException e) {
      // refused below
    }
    throw invalid();
  }

  private static boolean allScalars(JsonNode a) {
    for (JsonNode n : a) {
      if (!n.isTextual() && !n.isIntegralNumber()) {
        return false;
      }
    }
    return true;
  }

  private static InvalidRequestException invalid() {
    return new InvalidRequestException(
        "Invalid cursor: pass the next_cursor of the previous page of this listing");
  }

  /** A decoded cursor's keys, read in the order they were encoded. */
  public static final class Position {
    private final ArrayNode keys;

    private Position(ArrayNode keys) {
      this.keys = keys;
    }

    public long number(int i) {
      JsonNode n = keys.get(i + 1);
      if (!n.isIntegralNumber()) {
        throw invalid();
      }
      return n.asLong();
    }

    public String text(int i) {
      JsonNode n = keys.get(i + 1);
      if (!n.isTextual()) {
        throw invalid();
      }
      return n.asText();
    }

    public Instant instant(int i) {
      try {
        return Instant.parse(text(i));
      } catch (java.time.format.DateTimeParseException e) {
        throw invalid();
      }
    }
  }
}
