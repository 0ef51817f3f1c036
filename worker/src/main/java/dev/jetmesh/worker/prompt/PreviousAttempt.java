package dev.jetmesh.worker.prompt;

/** An earlier attempt as a retry prompt shows it: what was tried and what came of it. */
public record PreviousAttempt(String approach, String result) {}
