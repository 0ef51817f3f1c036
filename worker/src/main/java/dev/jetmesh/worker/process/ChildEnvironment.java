package dev.jetmesh.worker.process;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a child's environment from the worker's: names to strip are exact, or prefixes when they
 * end in {@code *} ({@code CLAUDE_CODE*}). Stateless and thread-safe.
 */
public final class ChildEnvironment {
  private ChildEnvironment() {}

  /** A copy of {@code base} without the variables that {@code strip} names. */
  public static Map<String, String> without(Map<String, String> base, List<String> strip) {
    Map<String, String> env = new HashMap<>(base);
    env.keySet().removeIf(name -> matches(name, strip));
    return env;
  }

  /** True when {@code name} is one of {@code patterns}. */
  public static boolean matches(String name, List<String> patterns) {
    for (String p : patterns) {
      if (p.endsWith("*") ? name.startsWith(p.substring(0, p.length() - 1)) : name.equals(p)) {
        return true;
      }
    }
    return false;
  }
}
