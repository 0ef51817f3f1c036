package dev.jetmesh.orchestrator.projection;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A read-model table as {@code jetmesh rebuild} truncates and compares it. Each {@link Projection}
 * declares the tables it writes, so the rebuild names none of them. Immutable.
 *
 * <p>A rebuild applies the same events in other batches than the live projector did. Where a
 * table's rows depend on the batching without differing in meaning, its spec says how to compare
 * them ({@link #rendering}, {@link #onlyRows}); say why wherever you use them.
 *
 * @param name the table, resolved through the connection's search path (so the same spec names the
 *     live table and its copy in a scratch schema)
 * @param key its primary key: rows are hashed in this order
 * @param excluded columns left out of the hash: those that record the wall-clock time of the write
 *     (e.g. {@code updated_at = now()}), which a rebuild cannot reproduce
 * @param renderings column → the SQL expression (over the row's columns) hashed in its place
 * @param rowsWhere an SQL condition on the rows that are compared, or null for all of them
 */
public record TableSpec(
    String name,
    List<String> key,
    Set<String> excluded,
    Map<String, String> renderings,
    @Nullable String rowsWhere) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  public TableSpec {
    requireNonNull(name, "null name");
    key = List.copyOf(key);
    excluded = Set.copyOf(excluded);
    renderings = Map.copyOf(renderings);
    checkIdentifier(name);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " needs its key columns");
    }
    key.forEach(TableSpec::checkIdentifier);
    excluded.forEach(TableSpec::checkIdentifier);
    renderings.keySet().forEach(TableSpec::checkIdentifier);
    for (String k : key) {
      if (excluded.contains(k) || renderings.containsKey(k)) {
        throw new IllegalArgumentException("key column " + k + " of " + name + " must be as is");
      }
    }
  }

  /** Table {@code name} with primary key {@code key}, every row and column compared as is. */
  public static TableSpec of(String name, String... key) {
    return new TableSpec(name, List.of(key), Set.of(), Map.of(), null);
  }

  /** The same table with {@code columns} left out of the comparison. */
  public TableSpec excluding(String... columns) {
    Set<String> ex = new LinkedHashSet<>(excluded);
    ex.addAll(List.of(columns));
    return new TableSpec(name, key, ex, renderings, rowsWhere);
  }

  /** The same table with {@code column} compared as {@code expression} renders it. */
  public TableSpec rendering(String column, String expression) {
    Map<String, String> r = new LinkedHashMap<>(renderings);
    r.put(column, requireNonNull(expression, "null expression"));
    return new TableSpec(name, key, excluded, r, rowsWhere);
  }

  /** The same table with only the rows that satisfy {@code condition} compared. */
  public TableSpec onlyRows(String condition) {
    return new TableSpec(name, key, excluded, renderings, requireNonNull(condition, "null where"));
  }

  private static void checkIdentifier(String s) {
    if (!IDENTIFIER.matcher(s).matches()) {
      throw new IllegalArgumentException("not a plain lower-case identifier: " + s);
    }
  }
}
