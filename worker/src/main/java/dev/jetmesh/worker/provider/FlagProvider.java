package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import dev.jetmesh.worker.provider.usage.PriceTable;
import dev.jetmesh.worker.provider.usage.UsageFormat;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A CLI driven by flags: {@code <binary> [extraArgs...] <promptFlag> <prompt> [<modelFlag> <model>]
 * [<cwdFlag> <worktree>]}, run inside the worktree. The built-ins openai (the Codex CLI: {@code
 * codex exec --json ...}), gemini ({@code --output-format json}), aider ({@code --message
 * <prompt>}, no default model), the reference's generic providers (deepseek, kimi, minimax: {@code
 * -p <prompt> --model <m> --cwd <dir>}) and every custom provider are of this shape. An empty
 * prompt flag puts the prompt as a positional argument; an empty model or cwd flag leaves that pair
 * out.
 *
 * @param name provider name
 * @param binary program to run (a path or a name looked up on {@code PATH})
 * @param defaultModel model when none is given, or null for none
 * @param promptFlag flag before the prompt, or empty for a positional prompt
 * @param modelFlag flag before the model, or empty to never pass one
 * @param cwdFlag flag before the worktree path, or empty to rely on the working directory
 * @param extraArgs fixed arguments placed right after the binary
 * @param envStrip environment variables to strip
 * @param usageFormat the usage report the CLI's output carries ({@link UsageFormat#TEXT}: none)
 * @param prices prices for its tokens when it reports no money
 */
public record FlagProvider(
    String name,
    String binary,
    @Nullable String defaultModel,
    String promptFlag,
    String modelFlag,
    String cwdFlag,
    List<String> extraArgs,
    List<String> envStrip,
    UsageFormat usageFormat,
    PriceTable prices)
    implements Provider {

  public FlagProvider {
    requireNonNull(name, "null name");
    requireNonNull(binary, "null binary");
    promptFlag = promptFlag == null ? "" : promptFlag;
    modelFlag = modelFlag == null ? "" : modelFlag;
    cwdFlag = cwdFlag == null ? "" : cwdFlag;
    extraArgs = List.copyOf(extraArgs == null ? List.of() : extraArgs);
    envStrip = List.copyOf(envStrip == null ? List.of() : envStrip);
    requireNonNull(usageFormat, "null usageFormat");
    requireNonNull(prices, "null prices");
  }

  /** A CLI whose output is plain text (custom providers): no usage, nothing to price. */
  public FlagProvider(
      String name,
      String binary,
      @Nullable String defaultModel,
      String promptFlag,
      String modelFlag,
      String cwdFlag,
      List<String> extraArgs,
      List<String> envStrip) {
    this(
        name,
        binary,
        defaultModel,
        promptFlag,
        modelFlag,
        cwdFlag,
        extraArgs,
        envStrip,
        UsageFormat.TEXT,
        PriceTable.none());
  }

  /** The reference's generic shape: {@code -p <prompt> --model <m> --cwd <dir>}, plain text. */
  static FlagProvider generic(String name, String binary, String defaultModel) {
    return new FlagProvider(
        name, binary, defaultModel, "-p", "--model", "--cwd", List.of(), List.of());
  }

  @Override
  public Invocation invocation(RunRequest r) {
    List<String> argv = new ArrayList<>();
    argv.add(binary);
    argv.addAll(extraArgs);
    if (!promptFlag.isEmpty()) {
      argv.add(promptFlag);
    }
    argv.add(r.prompt());
    String model = r.model() != null ? r.model() : defaultModel;
    if (!modelFlag.isEmpty() && model != null && !model.isEmpty()) {
      argv.add(modelFlag);
      argv.add(model);
    }
    if (!cwdFlag.isEmpty()) {
      argv.add(cwdFlag);
      argv.add(r.worktree().toString());
    }
    return new Invocation(argv, r.worktree(), envStrip);
  }
}
