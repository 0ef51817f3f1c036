package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.Orchestrator;
import dev.jetmesh.orchestrator.config.OrchestratorConfig;
import dev.jetmesh.orchestrator.db.Database;
import dev.jetmesh.orchestrator.projection.ProjectorHaltedException;
import dev.jetmesh.orchestrator.projection.Rebuild;
import dev.jetmesh.orchestrator.store.EventFeed;
import dev.jetmesh.schema.MeshException;
import io.nats.client.Connection;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code jetmesh rebuild [--verify] [--wait SECONDS]}: rebuilds the read models from the stream and
 * compares them with what was there (docs/operations.md). Configuration comes from the same
 * environment as {@code serve}. Exit 0: every table equal; 1: a table differs, or an orchestrator
 * holds the projector lock; 2: the rebuild failed or is misconfigured; 3: NATS or Postgres cannot
 * be reached.
 */
@Command(
    name = "rebuild",
    description = {
      "Rebuild the read models from the event stream and compare them with the live tables.",
      "It replays the stream from sequence 0 up to the current checkpoint and compares table by"
          + " table (exit 1 on a difference).",
      "It replaces the live tables unless --verify; that needs the projector's lock (stop the"
          + " orchestrators)."
    },
    footer = {"", "Example:", "  jetmesh rebuild --verify"})
public final class RebuildCommand implements Callable<Integer> {
  @Option(
      names = "--verify",
      description =
          "Rebuild into a scratch schema and compare with the live tables, changing nothing"
              + " (needs no lock: may run beside the orchestrators).")
  boolean verify;

  @Option(
      names = "--wait",
      defaultValue = "10",
      paramLabel = "SECONDS",
      description = "How long to wait for the projector's lock before giving up (default 10).")
  double waitSeconds;

  @Spec CommandSpec spec;

  private final Supplier<OrchestratorConfig> config;

  public RebuildCommand() {
    this(OrchestratorConfig::fromEnv);
  }

  private RebuildCommand(Supplier<OrchestratorConfig> config) {
    this.config = config;
  }

  /** {@code jetmesh rebuild args} in this process, with {@code config} instead of the env. */
  public static int execute(
      OrchestratorConfig config, PrintWriter out, PrintWriter err, String... args) {
    CommandLine cl = Main.configure(new CommandLine(new RebuildCommand(() -> config)));
    cl.setOut(out);
    cl.setErr(err);
    return cl.execute(args);
  }

  /**
   * Runs a rebuild (into the live tables, or with {@code verify} into a scratch schema).
   *
   * @throws Rebuild.ProjectorBusyException when the projector's lock is still held after {@code
   *     lockWait} (replace only)
   */
  public static Rebuild.Report run(
      OrchestratorConfig c, boolean verify, Duration lockWait, Consumer<String> progress)
      throws InterruptedException {
    Connection nc = Orchestrator.connectNats(c.natsUrl(), c.natsInboxPrefix());
    // Connections: the lock, the main projection, event_log's writer, and one for the rest.
    try (Database db = Database.connect(c.dbUrl(), c.dbUser(), c.dbPassword(), 6)) {
      Rebuild r =
          new Rebuild(
              db,
              d -> Orchestrator.projections(c, nc, d),
              durable -> new EventFeed(nc, c.stream(), durable),
              c.projectorBatch(),
              progress);
      if (verify) {
        return r.verify(
            schema -> Database.connect(c.dbUrl(), c.dbUser(), c.dbPassword(), 6, schema));
      }
      return r.replace(lockWait);
    } finally {
      nc.close();
    }
  }

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Rebuild.Report report;
    try {
      report =
          run(
              config.get(),
              verify,
              Duration.ofMillis(Math.round(waitSeconds * 1000)),
              line -> {
                err.println(line);
                err.flush();
              });
    } catch (Rebuild.ProjectorBusyException e) {
      err.println("jetmesh rebuild: " + e.getMessage());
      return 1;
    } catch (ProjectorHaltedException e) {
      err.println(
          "jetmesh rebuild: stopped: "
              + e.getMessage()
              + (verify
                  ? ""
                  : ". The read model is consistent up to its checkpoint; an orchestrator started"
                      + " now continues from there."));
      return 2;
    } catch (RuntimeException e) {
      if (e instanceof MeshException) {
        throw e; // one line, and the exit code of every command (Exit.of)
      }
      // Exit 1 means "a table differs": anything unexpected is a failure, 2.
      err.println("jetmesh rebuild: failed: " + e);
      return 2;
    }
    print(report, out);
    out.flush();
    return report.equal() ? 0 : 1;
  }

  /** The comparison as a table, then one line saying whether everything is equal. */
  static void print(Rebuild.Report r, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "rebuilt events 1..%,d %s in %.1f s; event_log compared up to %,d%n",
        r.checkpoint(),
        r.scratchSchema() == null
            ? "into the live tables"
            : "into scratch schema " + r.scratchSchema() + " (dropped; before = live)",
        r.projectNanos() / 1e9,
        r.logCompared());
    String format = "%-20s %12s %12s  %-12s  %-12s  %s%n";
    out.printf(
        Locale.ROOT,
        format,
        "table",
        "rows before",
        "rows after",
        "hash before",
        "hash after",
        "equal");
    for (Rebuild.TableResult t : r.tables()) {
      out.printf(
          Locale.ROOT,
          format,
          t.table(),
          String.format(Locale.ROOT, "%,d", t.rowsBefore()),
          String.format(Locale.ROOT, "%,d", t.rowsAfter()),
          t.hashBefore().substring(0, 12),
          t.hashAfter().substring(0, 12),
          t.equal() ? "yes" : "NO");
    }
    out.println(
        r.equal()
            ? "all " + r.tables().size() + " tables equal"
            : "differ: " + String.join(", ", r.different()));
  }
}
