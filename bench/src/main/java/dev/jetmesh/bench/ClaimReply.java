package dev.jetmesh.bench;

import io.nats.client.Message;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * A claim's reply as the claim loop uses it.
 *
 * @param kind what the loop does with it
 * @param error what went wrong, for {@link Kind#REFUSED} and {@link Kind#UNUSABLE}
 * @param taskId the claimed task, for {@link Kind#TASK}
 * @param claimToken its claim token, for {@link Kind#TASK}
 */
record ClaimReply(Kind kind, @Nullable String error, @Nullable String taskId, long claimToken) {
  enum Kind {
    /**
     * No reply, an error reply or an unreadable one: the cycle is retried. After an error reply
     * nothing was claimed; after no reply or an unreadable one a task may have been, and its
     * claimer then finds itself refused until the orchestrator's timers give it back (counted as
     * errors).
     */
    REFUSED,
    /** Nothing to claim (the queue is empty or not yet projected). */
    EMPTY,
    TASK,
    /**
     * An ok reply whose {@code data} is not a task with an id and a token: a task may have been
     * claimed, so the cycle counts as failed, as a failed start does.
     */
    UNUSABLE
  }

  static ClaimReply of(@Nullable Message m) {
    WireReply.Received received = WireReply.Received.of(m);
    WireReply r = received.reply();
    if (m == null || r == null) {
      return refused(received.error());
    }
    String taskId = r.taskId();
    Long token = r.claimToken();
    return switch (r.data()) {
      case NONE -> new ClaimReply(Kind.EMPTY, null, null, 0);
      case OBJECT ->
          taskId != null && token != null
              ? new ClaimReply(Kind.TASK, null, taskId, token)
              : unusable("a claimed task without task_id or claim_token", m);
      case OTHER -> unusable("data that is not a task", m);
    };
  }

  private static ClaimReply refused(@Nullable String error) {
    return new ClaimReply(Kind.REFUSED, error, null, 0);
  }

  private static ClaimReply unusable(String what, Message m) {
    return new ClaimReply(
        Kind.UNUSABLE,
        "ok reply with " + what + ": " + new String(m.getData(), StandardCharsets.UTF_8),
        null,
        0);
  }
}
