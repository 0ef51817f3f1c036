package dev.jetmesh.worker.provider.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads Google's Gemini CLI {@code gemini -p ... --output-format json}: one (pretty-printed) JSON
 * object {@code {"session_id"?, "response", "stats": {"models": {"<model>": {"api": {...},
 * "tokens": {...}}}, "tools": {...}, "files": {...}}, "error"?}}. Lines printed before the object
 * or after it (some versions log to stdout) are skipped.
 *
 * <p>Text: {@code response}; the whole output when there is none (an error). Tokens, per model
 * named in {@code stats.models} (one run may use several, e.g. a routing model beside the main
 * one): input is {@code prompt} (which includes {@code cached}) plus {@code tool} (tool-use prompt
 * tokens), cached input is {@code cached}, output is {@code candidates} plus {@code thoughts}; so
 * input + output is Gemini's {@code total}. A missing {@code tool} or {@code thoughts} counts 0.
 * Gemini reports no money: each model is priced from the price table. Stateless and thread-safe.
 */
public final class GeminiOutput {
  private GeminiOutput() {}

  /** The text and per-model tokens of one gemini run. */
  public static Reading read(String stdout) {
    JsonNode root = root(stdout);
    if (root == null) {
      return Reading.text(stdout);
    }
    String text = JsonText.text(root, "response");
    return new Reading(
        text != null ? text : stdout, null, models(root.path("stats").get("models")));
  }

  private static List<ModelTokens> models(JsonNode models) {
    List<ModelTokens> out = new ArrayList<>();
    if (models == null || !models.isObject()) {
      return out;
    }
    for (Map.Entry<String, JsonNode> m : models.properties()) {
      TokenUsage t = tokens(m.getValue().get("tokens"));
      if (!t.isUnknown()) {
        out.add(new ModelTokens(m.getKey(), t));
      }
    }
    return out;
  }

  private static TokenUsage tokens(JsonNode tokens) {
    if (tokens == null || !tokens.isObject()) {
      return TokenUsage.UNKNOWN;
    }
    Long prompt = JsonText.count(tokens, "prompt");
    Long candidates = JsonText.count(tokens, "candidates");
    return new TokenUsage(
        prompt == null ? null : prompt + JsonText.countOrZero(tokens, "tool"),
        JsonText.count(tokens, "cached"),
        candidates == null ? null : candidates + JsonText.countOrZero(tokens, "thoughts"));
  }

  private static @Nullable JsonNode root(String stdout) {
    if (stdout == null || stdout.isBlank()) {
      return null;
    }
    JsonNode whole = JsonText.tryParse(stdout.strip());
    if (whole != null && whole.isObject()) {
      return whole;
    }
    // Log lines around it: the object starts at the first line that opens one.
    List<String> lines = stdout.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("{")) {
        JsonNode tail = JsonText.tryParseFirst(String.join("\n", lines.subList(i, lines.size())));
        if (tail != null && tail.isObject()) {
          return tail;
        }
      }
    }
    return null;
  }
}
