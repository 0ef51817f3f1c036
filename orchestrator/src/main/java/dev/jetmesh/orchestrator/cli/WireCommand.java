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

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only the id it acted on, for scripts: ID=$(jetmesh ... -q).")
  boolean quiet;

  /** {@code --json}: the answer; {@code -q}: {@code id}; else {@code text}. */
  final void answer(JsonNode answer, String id, String text) {
    if (output.json) {
      Output.json(out(), answer);
    } else {
      print(quiet ? id + "\n" : text);
    }
  }

  /** One request: the reply's data, or the refusal thrown. */
  final JsonNode request(String subject, JsonNode body) {
    try (MeshWire wire = cli().wire(nats)) {
      return wire.request(subject, body);
    }
  }
}
