package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jetmesh collab ...}: collaboration-session tools that read the stream directly. */
@Command(
    name = "collab",
    description = "Collaboration sessions.",
    subcommands = {CollabCli.Replay.class})
public final class CollabCli implements Callable<Integer> {
  @Override
  public Integer call() {
    System.err.println("jetmesh collab: name a subcommand (replay)");
    return 2;
  }

  /**
   * Prints a session's timeline from the stream and recomputes every decision. Exit code 0 when
   * every decision matches, 3 when one does not.
   */
  @Command(
      name = "replay",
      description = "Replay a session from the stream and audit its decisions.")
  public static final class Replay implements Callable<Integer> {
    @Parameters(index = "0", description = "The session id.")
    String sessionId;

    @Option(
        names = "--nats",
        description = "NATS URL (default: $MESH_NATS_URL or nats://127.0.0.1:4222)")
    String nats = System.getenv().getOrDefault("MESH_NATS_URL", "nats://127.0.0.1:4222");

    @Option(names = "--stream", description = "Stream name (default: $MESH_STREAM or MESH_EVENTS)")
    String stream = System.getenv().getOrDefault("MESH_STREAM", Subjects.DEFAULT_STREAM);

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Ids.require("session_id", sessionId);
      Connection nc;
      try {
        nc =
            Nats.connect(
                Options.builder().server(nats).connectionTimeout(Duration.ofSeconds(5)).build());
      } catch (java.io.IOException e) {
        throw new MeshException("cannot connect to NATS at " + nats + ": " + e.getMessage());
      }
      try {
        List<StoredEvent> events =
            new EventStore(nc, stream).read(Subjects.collabEvents(sessionId));
        if (events.isEmpty()) {
          throw new MeshException("Session " + sessionId + " not found in stream " + stream);
        }
        CollabReplay.Report r =
            CollabReplay.replay(sessionId, events, CollabSettings.ENV.roundTimeout());
        System.out.print(
            json
                ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n"
                : r.text());
        return r.mismatches() == 0 ? 0 : 3;
      } finally {
        nc.close();
      }
    }
  }
}
