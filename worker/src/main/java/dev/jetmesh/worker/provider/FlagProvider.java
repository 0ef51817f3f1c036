package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A CLI driven by flags: {@code <binary> [extraArgs...] <promptFlag> <prompt> [<modelFlag> <model>]
 * [<cwdFlag> <worktree>]}, run inside the worktree. The reference's generic providers (openai via
 * codex, gemini, deepseek, kimi, minimax: {@code -p <prompt> --model <m> --cwd <dir>}), aider
 * ({@code --message <prompt>}, no cwd flag, no default model) and every custom provider are of this
 * shape. An empty prompt flag puts the prompt as a positional argument; an empty model or cwd flag
 * leaves that pair out.
 *
 * @param name provider name
 * @param binary program to run (a path or a name looked up on {@code PATH})
 * @param defaultModel model when none is given, or null for none
 * @param promptFlag flag before the prompt, or empty for a positional prompt
 * @param modelFlag flag before the model, or empty to never pass one
 * @param cwdFlag flag before the worktree path, or empty to rely on the working directory
 * @param extraArgs fixed arguments placed right after the binary
 * @param envStrip environment variables to strip
 */
public record FlagProvider(
    String name,
    String binary,
    @Nullable String defaultModel,
    String promptFlag,
    String modelFlag,
    String cwdFlag,
    List<String> extraArgs,
    List<String> envStrip)
    implements Provider {

  public FlagProvider {
    requireNonNull(name, "null name");
    requireNonNull(binary, "null binary");
    promptFlag = promptFlag == null ? "" : promptFlag;
    modelFlag = modelFlag == null ? "" : modelFlag;
    cwdFlag = cwdFlag == null ? "" : cwdFlag;
    extraArgs = List.copyOf(extraArgs == null ? List.of() : extraArgs);
    envStrip = List.copyOf(envStrip == null ? List.of() : envStrip);
  }

  /** The reference's generic shape: {@code -p <prompt> --model <m> --cwd <dir>}. */
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
