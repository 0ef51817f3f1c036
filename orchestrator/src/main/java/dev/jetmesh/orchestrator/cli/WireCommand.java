package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A command sent over NATS ({@code mesh.*} subjects): {@code --nats} and {@code --json}. */
abstract class WireCommand extends CliCommand {
  @Option(
      names = "--nats",
      paramLabel = "URL",
      description = "NATS URL (default: $MESH_NATS_URL, else nats://127.0.0.1:4222).")
  @Nullable String nats;

  @Mixin Output output;

  /** One request: the reply's data, or the refusal thrown. */
  final JsonNode request(String subject, JsonNode body) {
    try (MeshWire wire = cli().wire(nats)) {
      return wire.request(subject, body);
    }
  }

  final boolean json() {
    return output.json;
  }
}
