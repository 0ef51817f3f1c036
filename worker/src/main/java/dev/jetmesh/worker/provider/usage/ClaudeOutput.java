package dev.jetmesh.worker.provider.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads Claude Code's {@code claude -p --output-format json}: one result object ({@code
 * {"type":"result","result":"...","total_cost_usd":0.01,"usage":{...}}}); from versions that print
 * the whole conversation, an array whose last {@code "type":"result"} element is it; and, since the
 * last line of {@code --output-format stream-json} is that same object, a stream of JSON lines. Log
 * lines around the JSON are skipped. Output that holds no result is plain text with unknown usage.
 *
 * <p>Tokens: Anthropic's {@code input_tokens} counts only the uncached part of the prompt, so input
 * is {@code input_tokens + cache_creation_input_tokens + cache_read_input_tokens} and cached input
 * is {@code cache_read_input_tokens} (a missing cache field counts 0). Cost: {@code
 * total_cost_usd}, else {@code cost_usd} (older versions). Stateless and thread-safe.
 */
public final class ClaudeOutput {
  private ClaudeOutput() {}

  /** The text, reported cost and tokens of one claude run. */
  public static Reading read(String stdout) {
    JsonNode result = findResult(stdout);
    if (result == null) {
      return Reading.text(stdout);
    }
    String text = JsonText.text(result, "result");
    TokenUsage tokens = tokens(result.get("usage"));
    return new Reading(
        text != null ? text : stdout,
        cost(result),
        tokens.isUnknown() ? List.of() : List.of(ModelTokens.ofRunModel(tokens)));
  }

  static TokenUsage tokens(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return TokenUsage.UNKNOWN;
    }
    Long uncached = JsonText.count(usage, "input_tokens");
    long written = JsonText.countOrZero(usage, "cache_creation_input_tokens");
    long read = JsonText.countOrZero(usage, "cache_read_input_tokens");
    return new TokenUsage(
        uncached == null ? null : uncached + written + read,
        uncached == null ? null : read,
        JsonText.count(usage, "output_tokens"));
  }

  private static @Nullable BigDecimal cost(JsonNode result) {
    for (String field : List.of("total_cost_usd", "cost_usd")) {
      JsonNode v = result.get(field);
      if (v != null && v.isNumber() && v.decimalValue().signum() >= 0) {
        return v.decimalValue();
      }
    }
    return null;
  }

  private static @Nullable JsonNode findResult(String stdout) {
    if (stdout == null || stdout.isBlank()) {
      return null;
    }
    JsonNode found = pick(JsonText.tryParse(stdout.strip()));
    if (found != null) {
      return found;
    }
    // Log lines around the JSON, or stream-json: the last line that is a result wins.
    List<String> lines = stdout.lines().toList();
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.startsWith("{") || line.startsWith("[")) {
        found = pick(JsonText.tryParse(line));
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
      boolean result = "result".equals(JsonText.text(node, "type"));
      return result || node.has("result") || node.has("total_cost_usd") || node.has("cost_usd")
          ? node
          : null;
    }
    if (node.isArray()) {
      for (int i = node.size() - 1; i >= 0; i--) {
        JsonNode e = node.get(i);
        if (e.isObject() && "result".equals(JsonText.text(e, "type"))) {
          return e;
        }
      }
    }
    return null;
  }
}
