package dev.jetmesh.orchestrator.testing;

import java.util.Objects;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A property checked on generated inputs: {@code forAll(generator).check(assertions)} runs the
 * assertions on {@link #DEFAULT_TRIES} inputs, each from its own seeded {@link Random}. A failure
 * is shrunk (greedily, through the candidates {@link #shrinking} offers) and reported with the seed
 * that repeats it: {@code -Djetmesh.property.seed=<seed> -Djetmesh.property.tries=1}. Without that
 * property every run draws a fresh base seed, so runs explore new inputs. Not thread-safe.
 *
 * @param <T> the generated input
 */
public final class Property<T> {
  public static final int DEFAULT_TRIES = 500;
  private static final int MAX_SHRINK_STEPS = 1000;

  private final Function<Random, T> generator;
  private Function<T, Stream<T>> smaller = t -> Stream.empty();
  private int tries = DEFAULT_TRIES;

  private Property(Function<Random, T> generator) {
    this.generator = Objects.requireNonNull(generator, "null generator");
  }

  /** A property over the inputs {@code generator} makes from a random source. */
  public static <T> Property<T> forAll(Function<Random, T> generator) {
    return new Property<>(generator);
  }

  /** Runs {@code n} inputs instead of {@link #DEFAULT_TRIES}. */
  public Property<T> tries(int n) {
    this.tries = n;
    return this;
  }

  /** Offers smaller inputs than a failing one; the first that still fails is kept, repeatedly. */
  public Property<T> shrinking(Function<T, Stream<T>> candidates) {
    this.smaller = Objects.requireNonNull(candidates, "null candidates");
    return this;
  }

  /**
   * Runs {@code check} on every input.
   *
   * @throws AssertionError naming the seed, the (shrunk) input and the first failure
   */
  public void check(Consumer<T> check) {
    Long fixed = Long.getLong("jetmesh.property.seed");
    int n = fixed == null ? tries : Integer.getInteger("jetmesh.property.tries", tries);
    long base = fixed != null ? fixed : new SplittableRandom().nextLong();
    for (int i = 0; i < n; i++) {
      long seed = base + i;
      T input = generator.apply(new Random(new SplittableRandom(seed).nextLong()));
      AssertionError failure = failure(check, input);
      if (failure != null) {
        throw falsified(check, input, failure, seed, i + 1);
      }
    }
  }

  private AssertionError falsified(
      Consumer<T> check, T input, AssertionError failure, long seed, int tryNumber) {
    T shrunk = input;
    AssertionError last = failure;
    int steps = 0;
    boolean progress = true;
    while (progress && steps < MAX_SHRINK_STEPS) {
      progress = false;
      for (T candidate : (Iterable<T>) smaller.apply(shrunk)::iterator) {
        AssertionError f = failure(check, candidate);
        steps++;
        if (f != null) {
          shrunk = candidate;
          last = f;
          progress = true;
          break;
        }
      }
    }
    return new AssertionError(
        "Property falsified at try "
            + tryNumber
            + " (repeat with -Djetmesh.property.seed="
            + seed
            + " -Djetmesh.property.tries=1)\n  input: "
            + input
            + (shrunk == input ? "" : "\n  shrunk: " + shrunk)
            + "\n  failure: "
            + last.getMessage(),
        last);
  }

  private static <T> AssertionError failure(Consumer<T> check, T input) {
    try {
      check.accept(input);
      return null;
    } catch (AssertionError e) {
      return e;
    }
  }
}
