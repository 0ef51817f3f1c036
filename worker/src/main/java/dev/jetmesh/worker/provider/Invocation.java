package dev.jetmesh.worker.provider;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * How to start one provider run: the argument vector, its working directory and the environment
 * variables to strip from the worker's. Immutable.
 */
public record Invocation(List<String> argv, Path cwd, List<String> envStrip) {
  public Invocation {
    argv = List.copyOf(requireNonNull(argv, "null argv"));
    requireNonNull(cwd, "null cwd");
    envStrip = List.copyOf(requireNonNull(envStrip, "null envStrip"));
  }
}
