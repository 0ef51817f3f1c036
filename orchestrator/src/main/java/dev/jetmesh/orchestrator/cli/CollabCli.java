package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.collab.CollabReplay;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.Ids;
import dev.jetmesh.schema.Json;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Mixin StreamOptions source;

    @Option(names = "--json", description = "Print the report as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Ids.require("session_id", sessionId);
      {
        List<StoredEvent> events = source.read(Subjects.collabEvents(sessionId));
        if (events.isEmpty()) {
          throw new MeshException(
              ErrorCode.NOT_FOUND,
              "Session " + sessionId + " not found in stream " + source.stream());
        }
        CollabReplay.Report r = CollabReplay.replay(sessionId, events);
        System.out.print(
            json
                ? Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(r) + "\n"
                : r.text());
        return r.mismatches() == 0 ? 0 : 3;
      }
    }
  }
}
