package dev.jetmesh.bench.faults;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the mesh acknowledged to the load client: every command that got an ok reply, each of which
 * promises exactly one event in the stream. Thread-safe.
 */
final class Ledger {
  final Set<String> submitted = ConcurrentHashMap.newKeySet();

  /** Claim token (the stream sequence of {@code task.claimed}) → task id. */
  final Map<Long, String> claimed = new ConcurrentHashMap<>();

  /** {@code task@token} of every acknowledged start. */
  final Set<String> started = ConcurrentHashMap.newKeySet();

  final Set<String> completed = ConcurrentHashMap.newKeySet();

  /** Requests that got no reply and were sent again (a lost acknowledgement, from the client). */
  final AtomicLong retries = new AtomicLong();

  /** Wall-clock millis of the last acknowledgement: how long the mesh was silent after a fault. */
  final AtomicLong lastAck = new AtomicLong();

  long acknowledged() {
    return (long) submitted.size() + claimed.size() + started.size() + completed.size();
  }

  void ack() {
    lastAck.set(System.currentTimeMillis());
  }
}
