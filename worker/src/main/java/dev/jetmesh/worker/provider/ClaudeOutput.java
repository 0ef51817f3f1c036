package dev.jetmesh.worker.provider;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jetmesh.schema.Json;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code claude --output-format json}: one result object ({@code {"type":"result",
 * "result":"...","total_cost_usd":0.01,"usage":{...}}}), or, from versions that print the whole
 * conversation, an array whose last {@code "type":"result"} element is it. Output that is not such
 * JSON is taken as plain text with unknown cost. Stateless and thread-safe.
 */
public final class ClaudeOutput {
  private ClaudeOutput() {}

  /** The text, cost and tokens of one claude run. */
  public static RunOutput parse(String stdout) {
    JsonNode result = findResult(stdout);
    if (result == null) {
      return RunOutput.text(stdout);
    }
    JsonNode text = result.get("result");
    return new RunOutput(
        text != null && text.isTextual() ? text.asText() : stdout,
        cost(result),
        result.path("usage").isObject() ? result.get("usage") : null);
  }

  private static @Nullable BigDecimal cost(JsonNode result) {
    for (String field : List.of("total_cost_usd", "cost_usd")) {
      JsonNode v = result.get(field);
      if (v != null && v.isNumber()) {
        return v.decimalValue();
      }
    }
    return null;
  }

  private static @Nullable JsonNode findResult(@Nullable String stdout) {
    if (stdout == null || stdout.isBlank()) {
      return null;
    }
    JsonNode whole = tryParse(stdout.strip());
    JsonNode found = pick(whole);
    if (found != null) {
      return found;
    }
    // Some versions print log lines around the JSON: take the last line that is a result.
    List<String> lines = stdout.lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("{") || line.startsWith("[")) {
        found = pick(tryParse(line));
        if (found != null) {
          return found;
        }
      }
    }
    return null;
  }

  private static @Nullable JsonNode pick(@Nullable JsonNode node) {
    if (node == null) {
      return null;
    }
    if (node.isObject()) {
      return node.has("result") || node.has("total_cost_usd") || node.has("cost_usd") ? node : null;
    }
    if (node.isArray()) {
      for (int i = node.size() - 1; i >= 0; i--) {
        JsonNode e = node.get(i);
        if (e.isObject() && "result".equals(e.path("type").asText())) {
          return e;
        }
      }
    }
    return null;
  }

  private static @Nullable JsonNode tryParse(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
