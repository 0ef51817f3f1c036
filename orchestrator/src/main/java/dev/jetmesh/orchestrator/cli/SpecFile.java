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
      throw new InvalidRequestException("cannot read " + name + ": " + e.getMessage());
    }
    return parse(name, new String(bytes, StandardCharsets.UTF_8));
  }

  static ObjectNode parse(String name, String text) {
    boolean json = name.toLowerCase(Locale.ROOT).endsWith(".json");
    JsonNode n;
    try {
      n = json ? CliJson.mapper().readTree(text) : yaml().readTree(text);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(
          ("-".equals(name) ? "standard input" : name)
              + " is not valid "
              + (json ? "JSON" : "YAML".equals(kind(name)) ? "YAML" : "YAML or JSON")
              + ": "
              + oneLine(e.getOriginalMessage())
              + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ")"));
    }
    if (n == null || !n.isObject()) {
      throw new InvalidRequestException(name + " must hold one object (field: value, ...)");
    }
    return (ObjectNode) n;
  }

  /** What a file's name says it holds: YAML for .yaml and .yml, else unknown. */
  private static String kind(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return n.endsWith(".yaml") || n.endsWith(".yml") ? "YAML" : "";
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
    return source < 0 ? b.toString() : b.substring(0, source);
  }

  // Loaded only for YAML: most calls never need its classes.
  private static ObjectMapper yaml() {
    return new ObjectMapper(new YAMLFactory())
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }
}
