package dev.jetmesh.orchestrator.db;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.Query;
import org.jspecify.annotations.Nullable;

/**
 * The {@code WHERE} clause of a read with optional filters: each filter that is set adds its
 * (constant) condition and binds its value, each one that is not adds nothing. So the SQL holds no
 * value, and each combination of filters is a statement of its own, which Postgres plans with the
 * indexes it can use (a generic plan of {@code (:x IS NULL OR col = :x)} cannot). Not thread-safe;
 * one per query.
 */
public final class Where {
  private final List<String> conditions = new ArrayList<>();
  private final Map<String, Object> values = new LinkedHashMap<>();

  /** Adds {@code condition}, which names {@code :name}, when {@code value} is not null. */
  public Where and(String condition, String name, @Nullable Object value) {
    if (value != null) {
      conditions.add(condition);
      values.put(name, value instanceof Instant i ? Timestamp.from(i) : value);
    }
    return this;
  }

  /** Adds {@code condition}, which names no parameter, when {@code when} is true. */
  public Where andIf(boolean when, String condition) {
    if (when) {
      conditions.add(condition);
    }
    return this;
  }

  /** Binds a value that a condition added by {@link #andIf} (or the query around) names. */
  public Where bind(String name, Object value) {
    values.put(name, value instanceof Instant i ? Timestamp.from(i) : value);
    return this;
  }

  /** {@code " WHERE a AND b"}, or {@code ""} when no filter is set. */
  public String sql() {
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  /** {@code " AND a AND b"}, for a query that has a {@code WHERE} of its own. */
  public String andSql() {
    return conditions.isEmpty() ? "" : " AND " + String.join(" AND ", conditions);
  }

  /** Binds every value to {@code q}. */
  public Query bindTo(Query q) {
    values.forEach(q::bind);
    return q;
  }

  /** Runs {@code sql}, which holds this clause, with its values bound: the rows mapped. */
  public <T> List<T> list(Jdbi jdbi, String sql, RowMapper<T> mapper) {
    return jdbi.withHandle(h -> bindTo(h.createQuery(sql)).map(mapper).list());
  }
}
