package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.Subjects;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Options of the commands that read the event stream directly (replays, audits): where NATS is and
 * which stream. A picocli mixin; one instance per command invocation.
 */
public final class StreamOptions {
  // picocli resolves ${env:...} once, when it parses the command line.
  @Option(
      names = "--nats",
      defaultValue = "${env:MESH_NATS_URL:-nats://127.0.0.1:4222}",
      description = "NATS URL (default: $MESH_NATS_URL or nats://127.0.0.1:4222)")
  String nats;

  @Option(
      names = "--stream",
      defaultValue = "${env:MESH_STREAM:-" + Subjects.DEFAULT_STREAM + "}",
      description = "Stream (default: $MESH_STREAM or MESH_EVENTS)")
  String stream;

  public String stream() {
    return stream;
  }

  /** The whole history of one aggregate subject, straight from the stream. */
  public List<StoredEvent> read(String subject) {
    Connection nc;
    try {
      nc =
          Nats.connect(
              Options.builder()
                  .server(nats)
                  .connectionTimeout(Duration.ofSeconds(5))
                  .errorListener(new io.nats.client.ErrorListener() {})
                  .build());
    } catch (IOException e) {
      throw new MeshException(
          ErrorCode.UNAVAILABLE, "cannot connect to NATS at " + nats + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MeshException(
          ErrorCode.UNAVAILABLE, "interrupted while connecting to NATS at " + nats);
    }
    try {
      return new EventStore(nc, stream).read(subject);
    } finally {
      try {
        nc.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
