package dev.jetmesh.orchestrator.projection;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A read-model table as {@code jetmesh rebuild} truncates, compares and loads it. Each {@link
 * Projection} declares the tables it writes, so the rebuild names none of them. Immutable.
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
 * @param deferredIndexes indexes of the table that a rebuild drops while it projects and creates
 *     again after ({@link #deferringIndexes}), in declaration order
 */
public record TableSpec(
    String name,
    List<String> key,
    Set<String> excluded,
    Map<String, String> renderings,
    @Nullable String rowsWhere,
    List<String> deferredIndexes) {
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");

  public TableSpec {
    requireNonNull(name, "null name");
    key = List.copyOf(key);
    excluded = Set.copyOf(excluded);
    renderings = Map.copyOf(renderings);
    deferredIndexes = List.copyOf(deferredIndexes);
    checkIdentifier(name);
    if (key.isEmpty()) {
      throw new IllegalArgumentException("table " + name + " needs its key columns");
    }
    key.forEach(TableSpec::checkIdentifier);
    excluded.forEach(TableSpec::checkIdentifier);
    renderings.keySet().forEach(TableSpec::checkIdentifier);
    deferredIndexes.forEach(TableSpec::checkIdentifier);
    for (String k : key) {
      if (excluded.contains(k) || renderings.containsKey(k)) {
        throw new IllegalArgumentException("key column " + k + " of " + name + " must be as is");
      }
    }
    if (new LinkedHashSet<>(deferredIndexes).size() != deferredIndexes.size()) {
      throw new IllegalArgumentException("table " + name + " defers an index twice");
    }
  }

  /** Table {@code name} with primary key {@code key}, every row and column compared as is. */
  public static TableSpec of(String name, String... key) {
    return new TableSpec(name, List.of(key), Set.of(), Map.of(), null, List.of());
  }

  /** The same table with {@code columns} left out of the comparison. */
  public TableSpec excluding(String... columns) {
    Set<String> ex = new LinkedHashSet<>(excluded);
    ex.addAll(List.of(columns));
    return new TableSpec(name, key, ex, renderings, rowsWhere, deferredIndexes);
  }

  /** The same table with {@code column} compared as {@code expression} renders it. */
  public TableSpec rendering(String column, String expression) {
    Map<String, String> r = new LinkedHashMap<>(renderings);
    r.put(column, requireNonNull(expression, "null expression"));
    return new TableSpec(name, key, excluded, r, rowsWhere, deferredIndexes);
  }

  /** The same table with only the rows that satisfy {@code condition} compared. */
  public TableSpec onlyRows(String condition) {
    return new TableSpec(
        name, key, excluded, renderings, requireNonNull(condition, "null where"), deferredIndexes);
  }

  /**
   * The same table with {@code indexes} dropped while a rebuild projects into it and created again
   * afterwards, as a bulk load does: every task event rewrites its row (never a HOT update), so
   * each index costs one more entry per event, and building one at the end costs a fraction of
   * that. Declare only indexes that the projections' own writes never read (those of the read API,
   * the CLI, timers, sweeps, reactions after a commit, SQL users): an index a writer reads while it
   * applies a batch would turn that read into a scan of the table, at every batch. Never a unique
   * or primary key index (refused at rebuild start): it enforces something. A declared name that
   * the table does not have fails the rebuild before it changes anything, so an index renamed by a
   * migration cannot silently stop being deferred.
   *
   * <p>Only declared indexes are ever created again from {@code rebuild_deferred_index}: a record
   * of a name no longer declared here, or declared on another table, is deleted unrun. So a
   * migration that changes, renames or drops a deferrable index must expect it to be missing (a
   * rebuild may be running, or may have died) and must update or delete its row in {@code
   * rebuild_deferred_index} in the same migration; otherwise the old definition comes back, or a
   * renamed index is lost (docs/operations.md, "Deferred indexes").
   */
  public TableSpec deferringIndexes(String... indexes) {
    List<String> all = new ArrayList<>(deferredIndexes);
    all.addAll(List.of(indexes));
    return new TableSpec(name, key, excluded, renderings, rowsWhere, all);
  }

  private static void checkIdentifier(String s) {
    if (!IDENTIFIER.matcher(s).matches()) {
      throw new IllegalArgumentException("not a plain lower-case identifier: " + s);
    }
  }
}
