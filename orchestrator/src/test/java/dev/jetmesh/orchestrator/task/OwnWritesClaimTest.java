package dev.jetmesh.orchestrator.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Given how far the projector had got and what this process appended, when a claim finds nothing,
 * then it looks again exactly when its look may have missed this process's own writes.
 */
class OwnWritesClaimTest {
  private static final long SUBMITTED = 42;

  private final AtomicLong watermark = new AtomicLong();
  private final List<Long> waitedFor = new ArrayList<>();
  private int looks;

  @Test
  void theSubmissionProjectedWhileTheClaimLooked_isClaimedOnTheSecondLook() {
    watermark.set(SUBMITTED - 1);

    Optional<String> t =
        claim(
            () -> {
              if (++looks == 1) {
                // the index did not have it yet; the projector passes it before the claim returns
                watermark.set(SUBMITTED);
                return Optional.empty();
              }
              return Optional.of("t1");
            },
            this::await);

    assertThat(t).contains("t1");
    assertThat(looks).isEqualTo(2);
    assertThat(waitedFor).containsExactly(SUBMITTED);
  }

  @Test
  void theSubmissionNotProjectedYet_isWaitedFor_thenClaimed() {
    watermark.set(SUBMITTED - 1);

    Optional<String> t =
        claim(() -> ++looks == 1 ? Optional.empty() : Optional.of("t1"), this::await);

    assertThat(t).contains("t1");
    assertThat(waitedFor).containsExactly(SUBMITTED);
  }

  @Test
  void everyOwnWriteProjectedBeforeTheLook_anEmptyQueueAnswersAtOnce() {
    watermark.set(SUBMITTED);

    Optional<String> t = claim(this::nothing, this::await);

    assertThat(t).isEmpty();
    assertThat(looks).isEqualTo(1);
    assertThat(waitedFor).isEmpty();
  }

  @Test
  void aClaimThatFindsATask_neverWaits() {
    watermark.set(0);

    Optional<String> t =
        claim(
            () -> {
              looks++;
              return Optional.of("t0");
            },
            this::await);

    assertThat(t).contains("t0");
    assertThat(looks).isEqualTo(1);
    assertThat(waitedFor).isEmpty();
  }

  @Test
  void theProjectorNotPassingInTime_answersNothing_withoutASecondLook() {
    watermark.set(SUBMITTED - 1);

    Optional<String> t =
        claim(
            this::nothing,
            seq -> {
              waitedFor.add(seq);
              return false;
            });

    assertThat(t).isEmpty();
    assertThat(looks).isEqualTo(1);
    assertThat(waitedFor).containsExactly(SUBMITTED);
  }

  private Optional<String> claim(Supplier<Optional<String>> look, LongPredicate awaitProjected) {
    return OwnWritesClaim.claim(look, watermark::get, SUBMITTED, awaitProjected);
  }

  /** A look that finds nothing claimable. */
  private Optional<String> nothing() {
    looks++;
    return Optional.empty();
  }

  /** The projector passes what is waited for at once. */
  private boolean await(long seq) {
    waitedFor.add(seq);
    watermark.accumulateAndGet(seq, Math::max);
    return true;
  }
}
