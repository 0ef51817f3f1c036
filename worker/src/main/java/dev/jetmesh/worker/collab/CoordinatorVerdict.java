package dev.jetmesh.worker.collab;

import static java.util.Objects.requireNonNull;

/**
 * The coordinator's deciding vote on a round, derived from its own reflection on that round: {@code
 * converged} when the reflection parsed and voted {@code converged}, else {@code continue} ({@code
 * blocked} and a reflection that failed to parse both mean "not done", and the vote subject takes
 * only these two words). The reason says which reflection vote it came from, so a replay shows why.
 * Immutable.
 *
 * @param vote {@code converged} or {@code continue}
 * @param reason the reflection's vote and the start of its summary
 */
record CoordinatorVerdict(String vote, String reason) {
  /** The vote that ends the session. */
  static final String CONVERGED = "converged";

  /** The vote that asks for another round. */
  static final String CONTINUE = "continue";

  /** Characters of the summary kept in the reason. */
  static final int SUMMARY_CHARS = 200;

  public CoordinatorVerdict {
    requireNonNull(vote, "null vote");
    requireNonNull(reason, "null reason");
  }

  /** The verdict of a coordinator whose reflection on the round is {@code r}. */
  static CoordinatorVerdict of(Reflection r) {
    if (r.parseFailed()) {
      return new CoordinatorVerdict(CONTINUE, "own reflection did not parse");
    }
    String vote = CONVERGED.equals(r.vote()) ? CONVERGED : CONTINUE;
    String summary = r.summary().strip().replaceAll("\\s+", " ");
    if (summary.length() > SUMMARY_CHARS) {
      summary = summary.substring(0, SUMMARY_CHARS) + "...";
    }
    return new CoordinatorVerdict(vote, summary.isEmpty() ? r.vote() : r.vote() + ": " + summary);
  }
}
