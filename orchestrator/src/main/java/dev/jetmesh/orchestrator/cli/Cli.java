package dev.jetmesh.orchestrator.cli;

import dev.jetmesh.orchestrator.config.ClientSettings;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one {@code jetmesh} invocation shares between its commands: the settings of its environment
 * (parsed on first use, so that {@code --help} works whatever they hold) and how it decorates
 * output. Not thread-safe: one command runs at a time.
 */
final class Cli {
  private final Supplier<ClientSettings> source;
  private final boolean console;
  private @Nullable ClientSettings settings;

  /**
   * @param console output goes to this process's standard output, which may be a terminal (false in
   *     tests, which capture it)
   */
  Cli(Supplier<ClientSettings> source, boolean console) {
    this.source = source;
    this.console = console;
  }

  ClientSettings settings() {
    if (settings == null) {
      settings = source.get();
    }
    return settings;
  }

  /** Colors on a terminal unless {@code NO_COLOR} is set; plain otherwise. */
  Style style() {
    return console ? Style.detect(settings().noColor()) : Style.PLAIN;
  }

  /** The read API at {@code url}, or at {@code MESH_API_URL} when it is null. */
  ReadApi api(@Nullable String url) {
    String base = url == null ? settings().apiUrl() : ClientSettings.apiUrl("--api-url", url);
    return new ReadApi(base, settings().apiToken());
  }

  /** The wire at {@code url}, or at {@code MESH_NATS_URL} when it is null. */
  MeshWire wire(@Nullable String url) {
    return new MeshWire(url == null ? settings().natsUrl() : url, settings().natsInboxPrefix());
  }
}
