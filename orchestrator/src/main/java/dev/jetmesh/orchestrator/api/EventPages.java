package dev.jetmesh.orchestrator.api;

import dev.jetmesh.orchestrator.projection.EventLog;
import java.util.List;

/**
 * One aggregate's events as a listing ({@code /api/tasks/{id}/events}, a session's timeline): pages
 * of {@code event_log} in stream order, the cursor being the last sequence of a page. The aggregate
 * is the caller's plain string ({@code "task"}). Stateless.
 */
public final class EventPages {
  private static final String KIND = "events";

  private EventPages() {}

  /** The page {@code q} asks for ({@code limit}, {@code cursor}) of one aggregate's events. */
  public static Page<EventLog.Entry> page(
      EventLog log, String aggregate, String id, QueryParams q) {
    int limit = q.limit();
    Cursor.Position after = q.cursor(KIND, 1);
    List<EventLog.Entry> rows =
        log.read(
            new EventLog.Filter(aggregate, id),
            after == null ? 0 : after.number(0),
            Long.MAX_VALUE,
            limit + 1);
    return Page.of(
        rows.stream().map(e -> new Page.Keyed<>(e, Cursor.encode(KIND, e.seq()))).toList(), limit);
  }
}
