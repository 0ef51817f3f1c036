package dev.jetmesh.orchestrator.db;

import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.mapper.RowMapper;

/**
 * A read built from optional filters: its SQL, which holds the {@link Where} clause, and the values
 * the clause binds. Built apart from where it runs, so that a test can look at its plan. Immutable
 * once built (the {@link Where} is not changed after).
 */
public record Select(String sql, Where where) {
  /** Runs it: the rows mapped. */
  public <T> List<T> list(Jdbi jdbi, RowMapper<T> mapper) {
    return where.list(jdbi, sql, mapper);
  }
}
