package dev.jetmesh.orchestrator.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The property harness runs every try, reports a failure with its seed, and shrinks it. */
class PropertyTest {

  private static List<Integer> numbers(Random r) {
    List<Integer> out = new ArrayList<>();
    int n = r.nextInt(20);
    for (int i = 0; i < n; i++) {
      out.add(r.nextInt(100));
    }
    return out;
  }

  /** Every list without its i-th element. */
  private static java.util.stream.Stream<List<Integer>> withoutOne(List<Integer> l) {
    return IntStream.range(0, l.size())
        .mapToObj(
            i -> {
              List<Integer> c = new ArrayList<>(l);
              c.remove(i);
              return c;
            });
  }

  @Test
  void holdingProperty_runsEveryTry() {
    AtomicInteger runs = new AtomicInteger();
    Property.forAll(PropertyTest::numbers)
        .tries(123)
        .check(
            l -> {
              runs.incrementAndGet();
              assertThat(l.size()).isLessThan(20);
            });
    assertThat(runs).hasValue(123);
  }

  @Test
  void falsifiedProperty_namesTheSeed_andShrinksToAMinimalInput() {
    assertThatThrownBy(
            () ->
                Property.forAll(PropertyTest::numbers)
                    .shrinking(PropertyTest::withoutOne)
                    .check(l -> assertThat(l.stream().filter(x -> x >= 50).count()).isLessThan(2)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("-Djetmesh.property.seed=")
        // the smallest failing input has two elements: shrunk to it, or drawn so (then nothing
        // shrinks and the message has no shrunk line; CI drew [90, 73] once)
        .hasMessageMatching(
            "(?s).*(?:shrunk: \\[\\d+, \\d+\\]|input: \\[\\d+, \\d+\\]\n  failure).*");
  }

  @Test
  void sameSeed_generatesTheSameInputs() {
    List<List<Integer>> first = new ArrayList<>();
    List<List<Integer>> second = new ArrayList<>();
    System.setProperty("jetmesh.property.seed", "42");
    System.setProperty("jetmesh.property.tries", "5");
    try {
      Property.forAll(PropertyTest::numbers).check(first::add);
      Property.forAll(PropertyTest::numbers).check(second::add);
    } finally {
      System.clearProperty("jetmesh.property.seed");
      System.clearProperty("jetmesh.property.tries");
    }
    assertThat(first).hasSize(5).isEqualTo(second);
  }
}
