package dev.jetmesh.orchestrator.api;

/** What a chain of causes comes down to, for one-line messages. Stateless. */
final class Causes {
  private Causes() {}

  /** The message of the innermost cause (its class name when it has none). */
  @SuppressWarnings("ReferenceEquality") // identity: a cause chain may end in a self-cause
  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }
}
