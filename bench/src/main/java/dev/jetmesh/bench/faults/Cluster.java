package dev.jetmesh.bench.faults;

import dev.jetmesh.orchestrator.testing.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Everything the faults run against: a private nats-server, a private Postgres cluster, and the
 * built jars of this checkout, started as processes. A {@link Scope} is one mesh on them (its own
 * stream and database). Remembers every process it started and kills what is left on {@link
 * #close}. Not thread-safe.
 */
final class Cluster implements AutoCloseable {
  private final Path root;
  private final Path dir;
  private final String java;
  final PrivateNats nats;
  final PrivatePostgres pg;
  private final List<Proc> started = new ArrayList<>();
  private int cliRuns;
  private final List<PrivateNats> servers = new ArrayList<>();

  /** One mesh: its stream and database on the cluster's servers. */
  record Scope(String name, String stream, String database, PrivateNats nats) {}

  Cluster(Path root, Path dir) {
    this.root = root;
    this.dir = dir;
    this.java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (String jar : List.of(orchestratorJar(), workerJar())) {
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException("no " + jar + ": build it first (.ci/faults does)");
      }
    }
    this.nats = new PrivateNats(dir.resolve("nats"));
    this.pg = new PrivatePostgres(dir.resolve("pg"));
    nats.start();
    pg.start();
  }

  Path dir() {
    return dir;
  }

  private String orchestratorJar() {
    return root.resolve("orchestrator/target/jetmesh-orchestrator.jar").toString();
  }

  private String workerJar() {
    return root.resolve("worker/target/jetmesh-worker.jar").toString();
  }

  /**
   * A new mesh: stream {@code FAULTS_<NAME>} and a fresh database {@code faults_<name>}; the main
   * one on the cluster's nats-server, any other on a nats-server of its own (streams of one server
   * cannot share the {@code mesh.evt.>} subjects).
   */
  Scope scope(String name) {
    pg.createDatabase("faults_" + name);
    PrivateNats n = nats;
    if (!name.equals("main")) {
      n = new PrivateNats(dir.resolve("nats-" + name));
      n.start();
      servers.add(n);
    }
    return new Scope(name, "FAULTS_" + name.toUpperCase(Locale.ROOT), "faults_" + name, n);
  }

  /** The environment of every jetmesh process of {@code s}. */
  Map<String, String> env(Scope s) {
    Map<String, String> env = new HashMap<>();
    env.put("MESH_NATS_URL", s.nats().url());
    env.put("MESH_STREAM", s.stream());
    env.put("MESH_DB_URL", pg.url(s.database()));
    env.put("MESH_DB_USER", "postgres");
    env.put("MESH_DB_PASSWORD", "");
    env.put("JETMESH_LOG_LEVEL", "INFO");
    return env;
  }

  /** {@code java -jar jetmesh-orchestrator.jar serve}, healthy. */
  Orch orchestrator(Scope s, String name, Map<String, String> extra) {
    Orch o = startOrchestrator(s, name, extra);
    if (!o.awaitHealthy(60_000)) {
      throw new IllegalStateException(name + " not healthy in 60 s:\n" + o.proc().tail(30));
    }
    return o;
  }

  /** As {@link #orchestrator}, without waiting for it to be healthy (it may halt at once). */
  Orch startOrchestrator(Scope s, String name, Map<String, String> extra) {
    int port = FreePorts.next();
    Map<String, String> env = env(s);
    env.put("MESH_HTTP_PORT", String.valueOf(port));
    env.putAll(extra);
    Proc p =
        Proc.start(
            name,
            List.of(java, "-Xmx512m", "-jar", orchestratorJar(), "serve"),
            env,
            dir.resolve("logs").resolve(name + ".log"));
    started.add(p);
    return new Orch(p, port);
  }

  /**
   * A worker process on {@code node} with the shell provider (the task's description is the
   * command) or the fake LLM in {@code extra}; its own workspace (a git repository) and worktrees.
   */
  Proc worker(Scope s, String node, Map<String, String> extra) {
    Path home = dir.resolve("workers").resolve(node);
    Path ws = home.resolve("workspace");
    gitInit(ws);
    Map<String, String> env = env(s);
    env.put("HOME", home.toString());
    env.put("MESH_NODE_ID", node);
    env.put("MESH_WORKSPACE", ws.toString());
    env.put("MESH_WORKTREE_BASE", home.resolve("worktrees").toString());
    env.put("MESH_LLM_PROVIDER", "shell");
    env.put("MESH_POLL_INTERVAL", "200");
    env.put("MESH_HEARTBEAT_INTERVAL", "500");
    env.put("MESH_HEALTH_INTERVAL", "1000");
    env.put("MESH_COLLAB_CHECK_INTERVAL", "500");
    env.put("MESH_MAX_ATTEMPTS", "1");
    env.putAll(extra);
    Proc p =
        Proc.start(
            node,
            List.of(java, "-Xmx256m", "-jar", workerJar()),
            env,
            dir.resolve("logs").resolve(node + ".log"));
    started.add(p);
    return p;
  }

  /** {@code jetmesh rebuild --verify}: its exit status and output. */
  Run rebuildVerify(Scope s) {
    return cli(s, List.of("rebuild", "--verify"));
  }

  /** The jetmesh command line with {@code args} against {@code s}: its exit status and output. */
  Run cli(Scope s, List<String> args) {
    Path log =
        dir.resolve("logs")
            .resolve("cli-" + s.name() + "-" + args.get(0) + "-" + ++cliRuns + ".log");
    List<String> argv = new ArrayList<>(List.of(java, "-jar", orchestratorJar()));
    argv.addAll(args);
    Proc p = Proc.start("jetmesh " + args.get(0), argv, env(s), log);
    started.add(p);
    long t0 = System.nanoTime();
    while (p.alive() && System.nanoTime() - t0 < TimeUnit.MINUTES.toNanos(3)) {
      Sleep.millis(50);
    }
    if (p.alive()) {
      p.killTree();
      return new Run(-1, p.log());
    }
    return new Run(p.exitValue(), p.log());
  }

  record Run(int status, String output) {}

  private static void gitInit(Path ws) {
    try {
      Files.createDirectories(ws);
      Files.writeString(ws.resolve("README"), "fault suite workspace\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    git(ws, "init", "-q", "-b", "main");
    git(ws, "add", "README");
    git(
        ws,
        "-c",
        "user.name=faults",
        "-c",
        "user.email=faults@localhost",
        "commit",
        "-q",
        "-m",
        "start");
  }

  private static void git(Path ws, String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "-C", ws.toString()));
    cmd.addAll(List.of(args));
    Commands.run(cmd, ws.resolveSibling("git.log"));
  }

  @Override
  public void close() {
    for (Proc p : started) {
      if (p.alive()) {
        p.killTree();
      }
    }
    servers.forEach(PrivateNats::close);
    nats.close();
    pg.close();
  }
}
