package dev.jetmesh.orchestrator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.jetmesh.schema.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A request written in a file ({@code submit -f task.yaml}, {@code plan create -f plan.json}): a
 * JSON object, or the same in YAML, with the wire's field names. {@code -} reads standard input. A
 * file that cannot be read or parsed is a usage error (exit 2).
 */
final class SpecFile {
  private SpecFile() {}

  /** The object in {@code name}: JSON when it ends in {@code .json}, YAML otherwise. */
  static ObjectNode read(String name, InputStream stdin) {
    byte[] bytes;
    try {
      bytes = "-".equals(name) ? stdin.readAllBytes() : Files.readAllBytes(Path.of(name));
    } catch (NoSuchFileException e) {
      throw new InvalidRequestException("no such file: " + name);
    } catch (IOException e) {
      throw new InvalidRequestException("cannot read " + shown(name) + ": " + e.getMessage());
    }
    return parse(name, new String(bytes, StandardCharsets.UTF_8));
  }

  static ObjectNode parse(String name, String text) {
    String lower = name.toLowerCase(Locale.ROOT);
    boolean json = lower.endsWith(".json");
    boolean yaml = lower.endsWith(".yaml") || lower.endsWith(".yml");
    JsonNode n;
    try {
      n = json ? CliJson.mapper().readTree(text) : yaml().readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          shown(name)
              + " is not valid "
              + (json ? "JSON" : yaml ? "YAML" : "YAML or JSON")
              + ": "
              + oneLine(String.valueOf(e.getOriginalMessage()))
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (n == null || !n.isObject()) {
      throw new InvalidRequestException(shown(name) + " must hold one object (field: value, ...)");
    }
    return (ObjectNode) n;
  }

  /** How errors name the input: {@code -} is standard input. */
  private static String shown(String name) {
    return "-".equals(name) ? "standard input" : name;
  }

  /**
   * A parser's message as one line for the CLI's one-line errors: SnakeYAML's lines that say what
   * (not the ones quoting the input and pointing at it), without Jackson's note on where its input
   * came from; the line number follows separately.
   */
  static String oneLine(String message) {
    StringBuilder b = new StringBuilder();
    message
        .lines()
        .filter(line -> !line.isBlank() && !Character.isWhitespace(line.charAt(0)))
        .forEach(line -> b.append(b.isEmpty() ? "" : ": ").append(line.strip()));
    int source = b.indexOf(" (start marker at [Source:");
    String line = source < 0 ? b.toString() : b.substring(0, source);
    return line.isEmpty() ? message.strip().replaceAll("\\s+", " ") : line;
  }

  // Loaded only for YAML: most calls never need its classes.
  private static ObjectMapper yaml() {
    return new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }
}
