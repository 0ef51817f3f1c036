package dev.jetmesh.worker.provider.usage;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code ollama run --verbose}: the answer on stdout, and on stderr, after it, the timing
 * summary Ollama prints for {@code --verbose} ({@code total duration:}, {@code load duration:},
 * {@code prompt eval count: N token(s)}, {@code prompt eval duration:}, {@code prompt eval rate:},
 * {@code eval count: N token(s)}, {@code eval duration:}, {@code eval rate:}). Other stderr lines
 * and terminal escape codes (the spinner) are skipped.
 *
 * <p>Tokens: input is the prompt eval count, output the eval count. Ollama leaves a count's line
 * out when it is 0 (a prompt served whole from its cache), so within a summary a missing count is
 * 0; without any summary (no {@code --verbose}) the usage is unknown. A summary starts at its
 * {@code total duration:} line; several summaries (several responses) are summed. Ollama reports no
 * cache split and no money. Stateless and thread-safe.
 */
public final class OllamaOutput {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]");
  private static final Pattern START = Pattern.compile("^\\s*total duration:");
  private static final Pattern PROMPT_EVAL =
      Pattern.compile("^\\s*prompt eval count:\\s+(\\d+) token\\(s\\)\\s*$");
  private static final Pattern EVAL =
      Pattern.compile("^\\s*eval count:\\s+(\\d+) token\\(s\\)\\s*$");

  private OllamaOutput() {}

  /** The text (stdout as is) and the tokens of the {@code --verbose} summaries on stderr. */
  public static Reading read(String stdout, String stderr) {
    TokenUsage sum = null;
    TokenUsage current = null;
    for (String raw : (stderr == null ? "" : stderr).lines().toList()) {
      String line = ANSI.matcher(raw).replaceAll("");
      if (START.matcher(line).find()) {
        sum = add(sum, current);
        current = zero();
        continue;
      }
      Matcher prompt = PROMPT_EVAL.matcher(line);
      Matcher eval = EVAL.matcher(line);
      if (prompt.find()) {
        current = with(current, Long.parseLong(prompt.group(1)), null);
      } else if (eval.find()) {
        current = with(current, null, Long.parseLong(eval.group(1)));
      }
    }
    sum = add(sum, current);
    return new Reading(
        stdout == null ? "" : stdout,
        null,
        sum == null ? List.of() : List.of(ModelTokens.ofRunModel(sum)));
  }

  private static TokenUsage zero() {
    return new TokenUsage(0L, null, 0L);
  }

  private static TokenUsage with(
      @Nullable TokenUsage current, @Nullable Long input, @Nullable Long output) {
    TokenUsage base = current == null ? zero() : current;
    return new TokenUsage(
        input != null ? input : base.input(), null, output != null ? output : base.output());
  }

  private static @Nullable TokenUsage add(@Nullable TokenUsage sum, @Nullable TokenUsage block) {
    if (block == null) {
      return sum;
    }
    return sum == null ? block : sum.plus(block);
  }
}
