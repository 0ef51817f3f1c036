package dev.jetmesh.bench;

import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;

/** The NATS connection of every load client, benchmark and fault suite alike. */
public final class BenchNats {
  private BenchNats() {}

  /**
   * Connects for good: it reconnects forever, {@code reconnectWait} apart (the fault suite kills
   * and restarts nats-server and wants its clients back at once).
   */
  public static Connection connect(String url, String name, Duration reconnectWait) {
    try {
      return Nats.connect(
          Options.builder()
              .server(url)
              .connectionName(name)
              .maxReconnects(-1)
              .reconnectWait(reconnectWait)
              .connectionTimeout(Duration.ofSeconds(5))
              .errorListener(new io.nats.client.ErrorListener() {})
              .build());
    } catch (IOException e) {
      throw new IllegalStateException("cannot connect to NATS at " + url + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
