package dev.jetmesh.orchestrator.projection;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.schema.Json;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code event_log}, the projected copy of the stream, in sequence order: one aggregate's
 * history, or everything (or one aggregate kind) above a position, for live streams. It names no
 * aggregate: {@code aggregate} is the column's plain string ({@code task}, {@code plan}, ...).
 * Every read is a keyset range over {@code seq} (with index {@code event_log_aggregate} when an id
 * is given), never an offset. Thread-safe.
 */
public final class EventLog {
  private static final String COLUMNS =
      "SELECT seq, type, aggregate, aggregate_id, occurred_at, actor, payload::text FROM event_log";

  private final Database db;

  public EventLog(Database db) {
    this.db = requireNonNull(db, "null db");
  }

  /**
   * One event as the HTTP API shows it: the envelope's fields and the event's own as {@code data}.
   */
  public record Entry(
      long seq,
      String type,
      String aggregate,
      String aggregateId,
      Instant occurredAt,
      @Nullable String actor,
      JsonNode data) {}

  /**
   * Which events: all ({@code aggregate} null), one kind of aggregate, or one aggregate ({@code
   * aggregateId} too).
   */
  public record Filter(@Nullable String aggregate, @Nullable String aggregateId) {
    public static final Filter ALL = new Filter(null, null);

    public Filter {
      if (aggregateId != null && aggregate == null) {
        throw new IllegalArgumentException("an aggregate id needs its aggregate");
      }
    }
  }

  /**
   * The events matching {@code filter} with {@code after < seq <= upto}, in sequence order, at most
   * {@code limit}.
   */
  public List<Entry> read(Filter filter, long after, long upto, int limit) {
    // One statement per shape rather than "(:x IS NULL OR ...)": a generic plan of that form cannot
    // use the (aggregate, aggregate_id, seq) index.
    String where =
        filter.aggregate() == null
            ? ""
            : filter.aggregateId() == null
                ? " AND aggregate = :aggregate"
                : " AND aggregate = :aggregate AND aggregate_id = :id";
    return db.jdbi()
        .withHandle(
            h -> {
              Query q =
                  h.createQuery(
                          COLUMNS
                              + " WHERE seq > :after AND seq <= :upto"
                              + where
                              + " ORDER BY seq LIMIT :limit")
                      .bind("after", after)
                      .bind("upto", upto)
                      .bind("limit", limit);
              if (filter.aggregate() != null) {
                q.bind("aggregate", filter.aggregate());
              }
              if (filter.aggregateId() != null) {
                q.bind("id", filter.aggregateId());
              }
              return q.map(
                      (rs, ctx) ->
                          new Entry(
                              rs.getLong(1),
                              rs.getString(2),
                              rs.getString(3),
                              rs.getString(4),
                              rs.getTimestamp(5).toInstant(),
                              rs.getString(6),
                              json(rs.getString(7))))
                  .list();
            });
  }

  /** Every read model, {@code event_log} included, has the events up to this sequence. */
  public long projectedThrough() {
    return Checkpoints.projectedThrough(db);
  }

  private static JsonNode json(String payload) {
    try {
      return Json.mapper().readTree(payload);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable event_log payload: " + e.getOriginalMessage(), e);
    }
  }
}
