package dev.jetmesh.orchestrator.collab;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.jetmesh.schema.model.CollabSession;
import dev.jetmesh.schema.model.Task;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a node may claim a collaboration task: a node claims one to join its session, so it may
 * claim it only while it could join ({@link CollabDecider#joinRefusal}, the rule the join itself
 * applies). A session that is full, no longer recruiting or over has its members and settles the
 * task itself; a node that claimed it anyway could only hold it, idle, until then. A session not
 * created yet is no reason to refuse: the claimer's join creates it.
 *
 * <p>Asks the session as this process last knew it (the command side's cache, read from the stream
 * on a miss). A cached state that lets the claim through needs no check: the join decides on the
 * stream. A session past recruiting never recruits again, so that refusal needs none either. A
 * refusal for a full session, or for a member, can be undone by a member leaving, and that may have
 * happened through another orchestrator, whose decision this process's cache does not see: it would
 * refuse the node until it next decided on that session itself. So such a refusal is confirmed
 * against the subject's last sequence (one lookup; the session read again when it moved) and then
 * trusted for {@link #TRUST}: full sessions passed over by every claim cost one lookup each per
 * second, not one per claim, and a freed place is offered again within about a second. A lookup
 * that fails keeps the cached refusal (a node held idle is worse than a place offered a little
 * late). Called on claimers' request threads, under the claiming node's lock only. Thread-safe.
 */
final class CollabClaimGuard {
  /** How long a refusal confirmed against the stream is trusted without asking again. */
  static final Duration TRUST = Duration.ofSeconds(1);

  private static final String RECRUITING = "recruiting";
  private static final Logger LOG = LoggerFactory.getLogger(CollabClaimGuard.class);

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
    CollabSession s = handler.load(sid);
    String why = why(s, nodeId);
    if (why != null
        && s != null
        && RECRUITING.equals(s.status())
        && confirmed.getIfPresent(sid) == null) {
      try {
        why = why(handler.current(sid), nodeId);
      } catch (RuntimeException e) {
        LOG.warn(
            "cannot confirm session {} against the stream, refusing as cached: {}",
            sid,
            e.toString());
        return refusal(sid, nodeId, why);
      }
      if (why != null) {
        confirmed.put(sid, Boolean.TRUE);
      }
    }
    return why == null ? null : refusal(sid, nodeId, why);
  }

  private static String refusal(String sid, String nodeId, String why) {
    return nodeId + " could not join its collaboration session " + sid + ": " + why;
  }

  private static @Nullable String why(@Nullable CollabSession s, String nodeId) {
    return s == null ? null : CollabDecider.joinRefusal(s, nodeId);
  }
}
