package dev.jetmesh.orchestrator.api;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of a listing, as every list route answers: {@code {"items":[...], "next_cursor":
 * "<opaque>"|null}}; {@code next_cursor} is null on the last page.
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {
  public Page {
    items = List.copyOf(items);
  }

  /** A row with the cursor that points right after it. */
  public record Keyed<T>(T item, String cursor) {}

  /**
   * The page of {@code rows}, which a query read with {@code LIMIT limit + 1}: the first {@code
   * limit}, and a cursor after the last of them only when there was one more.
   */
  public static <T> Page<T> of(List<Keyed<T>> rows, int limit) {
    boolean more = rows.size() > limit;
    List<Keyed<T>> page = more ? rows.subList(0, limit) : rows;
    return new Page<>(
        page.stream().map(Keyed::item).toList(), more ? page.get(page.size() - 1).cursor() : null);
  }
}
