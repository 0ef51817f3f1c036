package dev.jetmesh.schema.model;

/**
 * A pointer to large text kept outside the event log (a JetStream object store entry): its name,
 * size in bytes and SHA-256 in lower-case hex. Events carry these, never the text itself.
 */
public record OutputRef(String bucket, String name, long size, String sha256) {}
