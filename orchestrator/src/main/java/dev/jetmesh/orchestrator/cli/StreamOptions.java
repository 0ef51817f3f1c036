package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.config.ClientSettings;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options of the commands that read the event stream directly (replays, audits): where NATS is and
 * which stream. A picocli mixin; one instance per command invocation.
 */
public final class StreamOptions {
  @Option(
      names = "--nats",
      paramLabel = "URL",
      description = "NATS URL (default: $MESH_NATS_URL, else nats://127.0.0.1:4222).")
  @Nullable String nats;

  @Option(
      names = "--stream",
      paramLabel = "NAME",
      description = "Stream to read (default: $MESH_STREAM, else MESH_EVENTS).")
  @Nullable String stream;

  /** The stream read, with {@code settings} for what no option gave. */
  String stream(ClientSettings settings) {
    return stream != null ? stream : settings.stream();
  }

  /** The whole history of one aggregate subject, straight from the stream. */
  List<StoredEvent> read(ClientSettings settings, String subject) {
    Connection nc =
        MeshWire.connect(nats != null ? nats : settings.natsUrl(), settings.natsInboxPrefix());
    try {
      return new EventStore(nc, stream(settings)).read(subject);
    } finally {
      try {
        nc.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
