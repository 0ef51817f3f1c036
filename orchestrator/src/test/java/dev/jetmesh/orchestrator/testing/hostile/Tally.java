package dev.jetmesh.orchestrator.testing.hostile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The counts of a run: probes per target and category, replies per code, and the holes (every reply
 * that is not the coded refusal its probe expects) with the first examples of each kind.
 * Thread-safe: senders record from many threads.
 */
final class Tally {
  /** One kind of hole: where, which attack, what was wrong. */
  record HoleKind(String target, String category, String reason) {}

  /** An example of a hole, clipped. */
  record Example(HoleKind kind, String request, String reply) {}

  private static final int EXAMPLES_PER_KIND = 2;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Long> perTarget = new TreeMap<>();
  private final Map<String, Long> perCategory = new TreeMap<>();
  private final Map<String, Long> perCode = new TreeMap<>();
  private final Map<String, Map<String, Long>> codesPerTarget = new TreeMap<>();
  private final Map<String, Map<String, Long>> codesPerCategory = new TreeMap<>();
  private final Map<HoleKind, Long> holes =
      new TreeMap<>(
          java.util.Comparator.comparing(HoleKind::target)
              .thenComparing(HoleKind::category)
              .thenComparing(HoleKind::reason));
  private final List<Example> examples = new ArrayList<>();
  private long published;

  void record(Probe p, Verdict v, String request) {
    lock.lock();
    try {
      perTarget.merge(p.target(), 1L, Long::sum);
      perCategory.merge(p.category(), 1L, Long::sum);
      perCode.merge(v.code(), 1L, Long::sum);
      codesPerTarget
          .computeIfAbsent(p.target(), t -> new TreeMap<>())
          .merge(v.code(), 1L, Long::sum);
      codesPerCategory
          .computeIfAbsent(p.category(), c -> new TreeMap<>())
          .merge(v.code(), 1L, Long::sum);
      if (v.hole() != null) {
        HoleKind k = new HoleKind(p.target(), p.category(), v.hole());
        long n = holes.merge(k, 1L, Long::sum);
        if (n <= EXAMPLES_PER_KIND) {
          examples.add(new Example(k, clip(request), clip(v.reply())));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /** A publish: counted per target and category; nothing comes back. */
  void published(Probe p) {
    lock.lock();
    try {
      perTarget.merge(p.target(), 1L, Long::sum);
      perCategory.merge(p.category(), 1L, Long::sum);
      published++;
    } finally {
      lock.unlock();
    }
  }

  Map<String, Long> perTarget() {
    return locked(() -> Map.copyOf(perTarget));
  }

  Map<String, Long> perCategory() {
    return locked(() -> Map.copyOf(perCategory));
  }

  Map<String, Long> perCode() {
    return locked(() -> Map.copyOf(perCode));
  }

  Map<String, Map<String, Long>> codesPerTarget() {
    return locked(() -> Map.copyOf(codesPerTarget));
  }

  /** Replies per attack, by code (attacks that were only published are not here). */
  Map<String, Map<String, Long>> codesPerCategory() {
    return locked(() -> Map.copyOf(codesPerCategory));
  }

  Map<HoleKind, Long> holes() {
    return locked(() -> new java.util.LinkedHashMap<>(holes));
  }

  List<Example> examples() {
    return locked(() -> List.copyOf(examples));
  }

  long published() {
    return locked(() -> published);
  }

  /** Requests that expected a reply. */
  long requests() {
    return locked(() -> perCode.values().stream().mapToLong(Long::longValue).sum());
  }

  private <T> T locked(java.util.function.Supplier<T> s) {
    lock.lock();
    try {
      return s.get();
    } finally {
      lock.unlock();
    }
  }

  static String clip(String s) {
    String one = s.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0");
    return one.length() > 160 ? one.substring(0, 160) + "… (" + one.length() + " chars)" : one;
  }
}
