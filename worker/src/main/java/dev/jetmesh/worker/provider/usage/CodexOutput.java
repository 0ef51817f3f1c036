package dev.jetmesh.worker.provider.usage;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads the OpenAI Codex CLI's {@code codex exec --json}: one JSON event per line ({@code
 * thread.started}, {@code turn.started}, {@code item.*}, {@code turn.completed}, {@code
 * turn.failed}, {@code error}). Lines that are not JSON objects are skipped.
 *
 * <p>Text: the last completed {@code agent_message} item ({@code assistant_message} under {@code
 * item_type} in the first versions of this format); the whole output when there is none. Tokens:
 * the {@code usage} of the last {@code turn.completed}. Codex fills it with the thread's running
 * total, so the last one counts and they are never summed. {@code input_tokens} includes {@code
 * cached_input_tokens} and {@code output_tokens} includes reasoning, as in the OpenAI API; other
 * usage fields of newer versions are not needed. A usage of all zeros is what codex prints when it
 * received no count, so it is unknown. Codex reports no money: the cost comes from the price table.
 * Stateless and thread-safe.
 */
public final class CodexOutput {
  private static final Set<String> MESSAGE_TYPES = Set.of("agent_message", "assistant_message");

  private CodexOutput() {}

  /** The text and tokens of one {@code codex exec --json} run. */
  public static Reading read(String stdout) {
    String text = null;
    TokenUsage last = TokenUsage.UNKNOWN;
    for (String line : (stdout == null ? "" : stdout).lines().toList()) {
      JsonNode event = event(line);
      if (event == null) {
        continue;
      }
      switch (String.valueOf(JsonText.text(event, "type"))) {
        case "item.completed" -> {
          String message = message(event.get("item"));
          text = message != null ? message : text;
        }
        case "turn.completed" -> last = usage(event.get("usage"));
        default -> {}
      }
    }
    return new Reading(
        text != null ? text : (stdout == null ? "" : stdout),
        null,
        last.isUnknown() ? List.of() : List.of(ModelTokens.ofRunModel(last)));
  }

  private static @Nullable JsonNode event(String line) {
    String s = line.strip();
    if (!s.startsWith("{")) {
      return null;
    }
    JsonNode node = JsonText.tryParse(s);
    return node != null && node.isObject() ? node : null;
  }

  private static @Nullable String message(@Nullable JsonNode item) {
    if (item == null) {
      return null;
    }
    String type = JsonText.text(item, "type");
    String legacyType = JsonText.text(item, "item_type");
    boolean isMessage =
        (type != null && MESSAGE_TYPES.contains(type))
            || (legacyType != null && MESSAGE_TYPES.contains(legacyType));
    return isMessage ? JsonText.text(item, "text") : null;
  }

  private static TokenUsage usage(JsonNode usage) {
    if (usage == null || !usage.isObject()) {
      return TokenUsage.UNKNOWN;
    }
    TokenUsage t =
        new TokenUsage(
            JsonText.count(usage, "input_tokens"),
            JsonText.count(usage, "cached_input_tokens"),
            JsonText.count(usage, "output_tokens"));
    boolean allZero =
        Long.valueOf(0).equals(t.input())
            && Long.valueOf(0).equals(t.output())
            && (t.cachedInput() == null || t.cachedInput() == 0);
    return allZero ? TokenUsage.UNKNOWN : t;
  }
}
