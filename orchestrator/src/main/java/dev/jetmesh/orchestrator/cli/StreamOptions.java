package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.config.ClientSettings;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.NatsInbox;
import dev.jetmesh.schema.events.StoredEvent;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
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
    String url = nats != null ? nats : settings.natsUrl();
    Connection nc;
    try {
      nc =
          Nats.connect(
              Options.builder()
                  .server(url)
                  .inboxPrefix(NatsInbox.prefix(url, settings.natsInboxPrefix()))
                  .connectionTimeout(Duration.ofSeconds(5))
                  .errorListener(new io.nats.client.ErrorListener() {})
                  .build());
    } catch (IOException e) {
      throw new UnreachableException(
          "cannot connect to NATS at "
              + NatsInbox.redact(url)
              + " (MESH_NATS_URL): "
              + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(
          "interrupted while connecting to NATS at " + NatsInbox.redact(url));
    }
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
