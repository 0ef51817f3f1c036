package dev.jetmesh.orchestrator.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.postgres.PostgresPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pooled Postgres connection with Jdbi on top. {@link #migrate()} applies the Flyway migrations
 * packaged from {@code migrations/}. Thread-safe; close it once.
 */
public final class Database implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource dataSource;
  private final Jdbi jdbi;
  private final String url;
  private final @Nullable String schema;

  /** Thrown when Postgres cannot be reached or refuses the credentials. */
  public static final class DatabaseUnavailableException extends MeshException {
    public DatabaseUnavailableException(String message, Throwable cause) {
      super(ErrorCode.UNAVAILABLE, message, cause);
    }
  }

  private Database(HikariDataSource ds, String url, @Nullable String schema) {
    this.dataSource = ds;
    this.url = url;
    this.schema = schema;
    this.jdbi = Jdbi.create(ds).installPlugin(new PostgresPlugin());
  }

  /** Connects, failing fast with one clear message when Postgres is unreachable. */
  public static Database connect(String url, String user, String password, int poolSize) {
    return connect(url, user, password, poolSize, null);
  }

  /**
   * As {@link #connect(String, String, String, int)}, with every connection's search path set to
   * {@code schema} alone, and {@link #migrate()} creating its tables there (a scratch copy of the
   * read model, for {@code jetmesh rebuild --verify}); null: the server's default search path.
   */
  public static Database connect(
      String url, String user, String password, int poolSize, @Nullable String schema) {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(url);
    cfg.setUsername(user);
    cfg.setPassword(password);
    cfg.setMaximumPoolSize(poolSize);
    cfg.setPoolName("jetmesh");
    cfg.setConnectionTimeout(5_000);
    cfg.setInitializationFailTimeout(5_000);
    cfg.addDataSourceProperty("reWriteBatchedInserts", "true");
    cfg.addDataSourceProperty("connectTimeout", "5");
    if (schema != null) {
      cfg.addDataSourceProperty("currentSchema", schema);
    }
    try {
      return new Database(new HikariDataSource(cfg), url, schema);
    } catch (RuntimeException e) {
      throw new DatabaseUnavailableException(
          "cannot connect to Postgres at " + redact(url) + ": " + rootMessage(e), e);
    }
  }

  /** Applies pending migrations. */
  public void migrate() {
    var flyway = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
    if (schema != null) {
      flyway.schemas(schema); // created if missing; the history table goes there too
    }
    flyway.load().migrate();
  }

  /**
   * Logs a warning when the server's autovacuum does not run (it is off, or {@code track_counts},
   * which it needs, is): then nothing removes the dead rows that every event's update of a read
   * model leaves, and nothing gathers the statistics the read models' queries are planned with.
   *
   * @return whether autovacuum runs; true when the settings cannot be read (a check that only warns
   *     must not stop what calls it)
   */
  public boolean checkUpkeep() {
    boolean runs;
    try {
      runs =
          jdbi.withHandle(
              h ->
                  h.createQuery(
                          "SELECT current_setting('autovacuum')::boolean"
                              + " AND current_setting('track_counts')::boolean")
                      .mapTo(Boolean.class)
                      .one());
    } catch (RuntimeException e) {
      LOG.warn("cannot read the autovacuum settings of {}: {}", redactedUrl(), e.toString());
      return true;
    }
    if (!runs) {
      LOG.warn(
          "autovacuum does not run on the Postgres server at {}: nothing removes the read models'"
              + " dead rows or refreshes their statistics; turn it on, or run VACUUM ANALYZE"
              + " regularly (docs/operations.md, \"Postgres upkeep\")",
          redactedUrl());
    }
    return runs;
  }

  public Jdbi jdbi() {
    return jdbi;
  }

  public String url() {
    return url;
  }

  /** The URL without its parameters, which may hold a password: for logs and messages. */
  public String redactedUrl() {
    return redact(url);
  }

  /** {@code url} without its parameters, which may hold a password. */
  public static String redact(String url) {
    int q = url.indexOf('?');
    return q < 0 ? url : url.substring(0, q) + "?…";
  }

  /** A connection outside Jdbi's handle management, e.g. to hold a session advisory lock. */
  public Connection rawConnection() throws SQLException {
    return dataSource.getConnection();
  }

  /**
   * Takes {@code c}, a connection of {@link #rawConnection()} not yet closed, out of the pool and
   * closes it, ending its session (in the background: do not count on the session being gone on
   * return); do not close it yourself afterwards. For a connection whose session holds something
   * that closing it into the pool would keep alive, such as a session advisory lock.
   */
  public void evict(Connection c) {
    dataSource.evictConnection(c);
  }

  @Override
  public void close() {
    dataSource.close();
  }

  @SuppressWarnings("ReferenceEquality") // identity: a cause chain may end in a self-cause
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
