package dev.jetmesh.worker.prompt;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * An earlier attempt as a retry prompt shows it: what was tried, what came of it, and the score its
 * metric printed (null when none).
 */
public record PreviousAttempt(String approach, String result, @Nullable BigDecimal score) {}
