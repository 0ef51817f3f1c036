package dev.jetmesh.orchestrator.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.orchestrator.projection.Projection;
import dev.jetmesh.orchestrator.projection.TableSpec;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.events.StoredEvent;
import dev.jetmesh.schema.model.NodeStatus;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jspecify.annotations.Nullable;

/**
 * Applies a batch of node events to the {@code nodes} table inside the projector's transaction:
 * loads the touched rows once, folds with {@link NodeEvolver#evolve} (the command side's own
 * function) and writes each changed node once. It writes the projected columns only; the liveness
 * columns belong to the health beats, except that a join counts as the node's first sign of life.
 * Not thread-safe; one per batch.
 */
public final class NodeProjector implements Projection.Writer {
  /**
   * What this projector writes. {@code last_seen}, {@code current_task} and {@code health} are
   * liveness, written in place by health beats and by no event, so a rebuild cannot reproduce them
   * and does not compare them.
   */
  static final List<TableSpec> TABLES =
      List.of(TableSpec.of("nodes", "node_id").excluding("last_seen", "current_task", "health"));

  /** The projected columns, in {@link #read} order. */
  static final String COLUMNS =
      "node_id, status, providers, capabilities, host::text AS host, token_id, joined_at,"
          + " stale_since, removed_at, removed_by, removed_reason, last_seq";

  private final List<StoredEvent> events = new ArrayList<>();
  private final Map<String, NodeState> states = new LinkedHashMap<>();

  @Override
  public void add(StoredEvent e) {
    events.add(e);
  }

  @Override
  public void flush(Handle h) {
    if (events.isEmpty()) {
      return;
    }
    Set<String> ids = new HashSet<>();
    events.forEach(e -> ids.add(e.envelope().aggregateId()));
    h.createQuery("SELECT " + COLUMNS + " FROM nodes WHERE node_id = ANY(:ids)")
        .bindArray("ids", String.class, ids)
        .map((rs, ctx) -> read(rs))
        .forEach(s -> states.put(s.nodeId(), s));
    for (StoredEvent e : events) {
      String id = e.envelope().aggregateId();
      states.put(id, NodeEvolver.evolve(states.get(id), e));
    }
    upsert(h);
  }

  private void upsert(Handle h) {
    PreparedBatch b =
        h.prepareBatch(
            """
            INSERT INTO nodes (node_id, status, providers, capabilities, host, token_id,
                joined_at, stale_since, removed_at, removed_by, removed_reason, last_seq,
                last_seen)
            VALUES (:node_id, :status, :providers, :capabilities, CAST(:host AS jsonb),
                :token_id, :joined_at, :stale_since, :removed_at, :removed_by, :removed_reason,
                :last_seq, :joined_at)
            ON CONFLICT (node_id) DO UPDATE SET status = excluded.status,
                providers = excluded.providers, capabilities = excluded.capabilities,
                host = excluded.host, token_id = excluded.token_id,
                joined_at = excluded.joined_at, stale_since = excluded.stale_since,
                removed_at = excluded.removed_at, removed_by = excluded.removed_by,
                removed_reason = excluded.removed_reason, last_seq = excluded.last_seq,
                last_seen = greatest(nodes.last_seen, excluded.last_seen)
            """);
    for (NodeState s : states.values()) {
      b.bind("node_id", s.nodeId())
          .bind("status", s.status().wire())
          .bindArray("providers", String.class, s.providers())
          .bindArray("capabilities", String.class, s.capabilities())
          .bind("host", s.host() == null ? null : s.host().toString())
          .bind("token_id", s.tokenId())
          .bind("joined_at", ts(s.joinedAt()))
          .bind("stale_since", ts(s.staleSince()))
          .bind("removed_at", ts(s.removedAt()))
          .bind("removed_by", s.removedBy())
          .bind("removed_reason", s.removedReason())
          .bind("last_seq", s.version())
          .add();
    }
    b.execute();
  }

  /** A row's projected columns ({@link #COLUMNS}) as the state they were written from. */
  static NodeState read(ResultSet rs) throws SQLException {
    return new NodeState(
        rs.getString("node_id"),
        NodeStatus.fromWire(rs.getString("status")),
        texts(rs.getArray("providers")),
        texts(rs.getArray("capabilities")),
        json(rs.getString("host")),
        rs.getString("token_id"),
        instant(rs.getTimestamp("joined_at")),
        instant(rs.getTimestamp("stale_since")),
        instant(rs.getTimestamp("removed_at")),
        rs.getString("removed_by"),
        rs.getString("removed_reason"),
        rs.getLong("last_seq"));
  }

  static @Nullable JsonNode json(@Nullable String text) {
    if (text == null) {
      return null;
    }
    try {
      return Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable JSON in nodes: " + e.getOriginalMessage(), e);
    }
  }

  static @Nullable Instant instant(@Nullable Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  private static List<String> texts(Array a) throws SQLException {
    return a == null ? List.of() : List.of((String[]) a.getArray());
  }

  private static @Nullable Timestamp ts(@Nullable Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
