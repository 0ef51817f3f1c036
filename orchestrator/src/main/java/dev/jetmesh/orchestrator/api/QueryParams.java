package dev.jetmesh.orchestrator.api;

import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.InvalidRequestException;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of one read request, validated as strictly as the wire's request bodies: a
 * parameter the route does not know, one given twice, or a value that does not parse is an {@link
 * InvalidRequestException} (400 {@code INVALID_REQUEST}), never silently ignored. An empty value
 * ({@code ?status=}) counts as absent. Not thread-safe; one per request.
 */
public final class QueryParams {
  /** Page size when {@code limit} is absent. */
  public static final int DEFAULT_LIMIT = 100;

  /** Largest page. */
  public static final int MAX_LIMIT = 500;

  /** Longest free-text filter value (a provider or model name). */
  static final int MAX_TEXT = 200;

  private final Map<String, List<String>> params;

  private QueryParams(Map<String, List<String>> params) {
    this.params = params;
  }

  /**
   * The parameters of {@code ctx}, which may only be {@code allowed} ones.
   *
   * @throws InvalidRequestException naming an unknown parameter or one given twice
   */
  public static QueryParams of(Context ctx, String... allowed) {
    Set<String> known = Set.of(allowed);
    Map<String, List<String>> all = ctx.queryParamMap();
    for (Map.Entry<String, List<String>> e : all.entrySet()) {
      if (!known.contains(e.getKey())) {
        throw new InvalidRequestException(
            "Unknown query parameter '"
                + clip(e.getKey())
                + "'"
                + (known.isEmpty() ? ": this route takes none" : " (known: " + list(known) + ")"));
      }
      if (e.getValue().size() > 1) {
        throw new InvalidRequestException("Query parameter '" + e.getKey() + "' given twice");
      }
    }
    return new QueryParams(all);
  }

  /** The path parameter {@code name}, which must be a valid id. */
  public static String pathId(Context ctx, String name) {
    return Ids.require(name, ctx.pathParam(name));
  }

  /** The raw value, or null when absent or empty. */
  public @Nullable String text(String name) {
    List<String> v = params.get(name);
    if (v == null || v.isEmpty() || v.get(0).isEmpty()) {
      return null;
    }
    String s = v.get(0);
    if (s.length() > MAX_TEXT) {
      throw new InvalidRequestException(
          name + " is too long: " + s.length() + " characters (max " + MAX_TEXT + ")");
    }
    return s;
  }

  /** An id ({@link Ids}), or null when absent. */
  public @Nullable String id(String name) {
    String v = text(name);
    return v == null ? null : Ids.require(name, v);
  }

  /**
   * A value of a closed set, parsed by {@code parser} (an enum's {@code fromWire}, which refuses
   * unknown words with {@link InvalidRequestException}), or null when absent.
   */
  public <T> @Nullable T parsed(String name, Function<String, T> parser) {
    String v = text(name);
    return v == null ? null : parser.apply(v);
  }

  /** An ISO-8601 instant ({@code 2025-01-31T12:00:00Z}), or null when absent. */
  public @Nullable Instant instant(String name) {
    String v = text(name);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          "Invalid " + name + ": must be an ISO-8601 instant such as 2025-01-31T12:00:00Z");
    }
  }

  /** A stream sequence (0 or more), or null when absent. */
  public @Nullable Long sequence(String name) {
    String v = text(name);
    return v == null ? null : sequence(name, v);
  }

  /** {@code limit}: 1 to {@value #MAX_LIMIT}, {@value #DEFAULT_LIMIT} when absent. */
  public int limit() {
    String v = text("limit");
    if (v == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_LIMIT) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InvalidRequestException("limit must be between 1 and " + MAX_LIMIT);
  }

  /** {@code cursor} decoded for a listing of {@code kind} with {@code arity} keys, or null. */
  public Cursor.@Nullable Position cursor(String kind, int arity) {
    String v = params.containsKey("cursor") ? params.get("cursor").get(0) : null;
    return v == null || v.isEmpty() ? null : Cursor.decode(kind, v, arity);
  }

  /** Parses a stream sequence given as text (a query value or a {@code Last-Event-ID}). */
  static long sequence(String name, String v) {
    try {
      long n = Long.parseLong(v.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new InvalidRequestException(
        "Invalid " + name + ": must be a stream sequence (a whole number, 0 or more)");
  }

  private static String list(Set<String> names) {
    return String.join(", ", new TreeSet<>(names));
  }

  private static String clip(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
