package dev.jetmesh.bench.faults;

import java.util.function.BooleanSupplier;

/** Sleeping and polling without checked exceptions: the suite is one thread of control. */
final class Sleep {
  private Sleep() {}

  static void millis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Polls {@code condition} every 50 ms; true as soon as it holds, false after {@code ms}. */
  static boolean until(long ms, BooleanSupplier condition) {
    long deadline = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      millis(50);
    }
    return condition.getAsBoolean();
  }
}
