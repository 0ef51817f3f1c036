package dev.jetmesh.bench.faults;

import dev.jetmesh.orchestrator.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL cluster of the suite's own, made with {@code initdb} and run with {@code pg_ctl} on
 * a free port, so that a fault may stop it without touching a shared server. Binaries from {@code
 * MESH_PG_BIN}, else {@code /usr/lib/postgresql/15/bin}. Postgres refuses to run as root: as root,
 * every command runs as the user {@code postgres} ({@code runuser}), which then owns the directory.
 * Not thread-safe.
 */
final class PrivatePostgres implements AutoCloseable {
  private final Path dir;
  private final Path data;
  private final int port;
  private final String bin;
  private boolean running;

  PrivatePostgres(Path dir) {
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = FreePorts.next();
    this.bin = System.getenv().getOrDefault("MESH_PG_BIN", "/usr/lib/postgresql/15/bin");
    try {
      Files.createDirectories(dir);
      if (asRoot()) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    run(
        List.of(
            bin + "/initdb",
            "-D",
            data.toString(),
            "-U",
            "postgres",
            "--auth=trust",
            "--no-sync",
            "-E",
            "UTF8"),
        true);
  }

  void start() {
    run(
        List.of(
            bin + "/pg_ctl",
            "-D",
            data.toString(),
            "-l",
            dir.resolve("postgres.log").toString(),
            "-w",
            "-t",
            "30",
            "-o",
            "-p "
                + port
                + " -k "
                + dir
                + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                + " -c fsync=on",
            "start"),
        true);
    running = true;
  }

  /** A fast shutdown: connections are dropped, as when a database server goes away. */
  void stop() {
    run(List.of(bin + "/pg_ctl", "-D", data.toString(), "-w", "-m", "fast", "stop"), true);
    running = false;
  }

  String adminUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  void createDatabase(String name) {
    exec("CREATE DATABASE " + name);
  }

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(url(database), "postgres", "");
  }

  private void exec(String sql) {
    try (Connection c = DriverManager.getConnection(adminUrl(), "postgres", "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + " failed: " + e.getMessage(), e);
    }
  }

  private static boolean asRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private void run(List<String> argv, boolean asPostgres) {
    List<String> cmd = new ArrayList<>();
    if (asPostgres && asRoot()) {
      cmd.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    cmd.addAll(argv);
    Commands.run(cmd, dir.resolve("commands.log"));
  }

  @Override
  public void close() {
    if (running) {
      stop();
    }
  }
}
