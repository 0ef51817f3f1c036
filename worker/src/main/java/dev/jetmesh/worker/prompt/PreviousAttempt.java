package dev.jetmesh.worker.prompt;

/**
 * An earlier attempt as a retry prompt shows it: what was tried, what came of it, and the score its
 * metric printed (null when none).
 */
public record PreviousAttempt(String approach, String result, java.math.BigDecimal score) {}
