package dev.jetmesh.orchestrator.collab;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Task;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Whether a node may claim a collaboration task: a node claims one to join its session, so it may
 * claim it only while it could join ({@link CollabDecider#joinRefusal}, the rule the join itself
 * applies). A session that is full, no longer recruiting or over has its members and settles the
 * task itself; a node that claimed it anyway could only hold it, idle, until then. A session not
 * created yet is no reason to refuse: the claimer's join creates it.
 *
 * <p>Asks the session as this process last knew it (the command side's cache, read from the stream
 * on a miss). A cached state that lets the claim through needs no check: the join decides on the
 * stream. One that refuses it may be stale, when another orchestrator took the session's last
 * decision (a member left there, or a seat was freed): this process would then refuse the node
 * until it next decided on that session itself. So a refusal is confirmed against the subject's
 * last sequence (one lookup; the session read again when it moved) and then trusted for {@link
 * #TRUST} only: long enough that sessions passed over by every claim (twenty full ones ahead of a
 * plain task) cost one lookup each per second, not one per claim; short enough that a freed seat is
 * offered again within a second. Thread-safe.
 */
final class CollabClaimGuard {
  /** How long a refusal confirmed against the stream is trusted without asking again. */
  static final Duration TRUST = Duration.ofSeconds(1);

  private final CollabCommandHandler handler;

  /** Sessions whose cached state was confirmed current within {@link #TRUST}. */
  private final Cache<String, Boolean> confirmed;

  CollabClaimGuard(CollabCommandHandler handler, Ticker ticker) {
    this.handler = handler;
    this.confirmed =
        Caffeine.newBuilder().expireAfterWrite(TRUST).maximumSize(10_000).ticker(ticker).build();
  }

  /** Why {@code nodeId} may not claim {@code t}, or null when it may. */
  @Nullable String refusal(Task t, String nodeId) {
    String sid = t.collabSessionId();
    if (sid == null) {
      return null; // not a collaboration task
    }
    String why = why(handler.load(sid), nodeId);
    if (why != null && confirmed.getIfPresent(sid) == null) {
      why = why(handler.current(sid), nodeId);
      if (why != null) {
        confirmed.put(sid, Boolean.TRUE);
      }
    }
    return why == null
        ? null
        : nodeId + " could not join its collaboration session " + sid + ": " + why;
  }

  private static @Nullable String why(@Nullable CollabSession s, String nodeId) {
    return s == null ? null : CollabDecider.joinRefusal(s, nodeId);
  }
}
