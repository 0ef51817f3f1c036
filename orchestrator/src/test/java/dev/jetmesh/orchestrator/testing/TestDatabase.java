package dev.jetmesh.orchestrator.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A fresh, empty database for one test class, dropped on {@link #close()}.
 *
 * <p>Where {@code MESH_TEST_PG_URL} is set (a JDBC URL of an admin database, e.g. {@code
 * jdbc:postgresql://127.0.0.1:5432/postgres}, with {@code MESH_TEST_PG_USER} and {@code
 * MESH_TEST_PG_PASSWORD}), the database is created on that server. Otherwise, where a Docker engine
 * is available, a Testcontainers Postgres is started; otherwise the local server at 127.0.0.1:5432
 * is used as user {@code postgres}.
 */
public final class TestDatabase implements AutoCloseable {
  private static PostgreSQLContainer<?> container;

  private final String adminUrl;
  private final String user;
  private final String password;
  private final String name;

  private TestDatabase(String adminUrl, String user, String password) {
    this.adminUrl = adminUrl;
    this.user = user;
    this.password = password;
    this.name = "jm_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    exec("CREATE DATABASE " + name);
  }

  public static TestDatabase create() {
    String url = System.getenv("MESH_TEST_PG_URL");
    if (url != null && !url.isBlank()) {
      return new TestDatabase(
          url,
          System.getenv().getOrDefault("MESH_TEST_PG_USER", "postgres"),
          System.getenv().getOrDefault("MESH_TEST_PG_PASSWORD", ""));
    }
    if (dockerAvailable()) {
      PostgreSQLContainer<?> c = container();
      return new TestDatabase(c.getJdbcUrl(), c.getUsername(), c.getPassword());
    }
    return new TestDatabase("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
  }

  private static synchronized PostgreSQLContainer<?> container() {
    if (container == null) {
      container = new PostgreSQLContainer<>("postgres:15-alpine");
      container.start();
    }
    return container;
  }

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | Error e) {
      return false;
    }
  }

  /** JDBC URL of this test's database. */
  public String url() {
    int slash = adminUrl.lastIndexOf('/');
    int q = adminUrl.indexOf('?', slash);
    return adminUrl.substring(0, slash + 1) + name + (q < 0 ? "" : adminUrl.substring(q));
  }

  public String user() {
    return user;
  }

  public String password() {
    return password;
  }

  public String name() {
    return name;
  }

  /** A plain JDBC connection to this test's database. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(url(), user, password);
  }

  private void exec(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(
          sql.toLowerCase(Locale.ROOT) + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }
}
