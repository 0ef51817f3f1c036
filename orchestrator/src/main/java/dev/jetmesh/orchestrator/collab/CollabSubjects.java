package dev.jetmesh.orchestrator.collab;

import dev.jetmesh.schema.Ids;

/** The collab slice's NATS subjects (REFERENCE.md section 1, plus jetmesh's additions). */
public final class CollabSubjects {
  public static final String PREFIX = "mesh.collab.";
  public static final String ALL = "mesh.collab.*";

  private CollabSubjects() {}

  /** {@code mesh.collab.<op>}: a request. */
  public static String op(String op) {
    return PREFIX + op;
  }

  /** {@code mesh.collab.<sid>.recruit}: the recruit broadcast. */
  public static String recruit(String sessionId) {
    return PREFIX + Ids.require("session_id", sessionId) + ".recruit";
  }

  /** {@code mesh.collab.<sid>.node.<nid>.round}: a node's round notification. */
  public static String round(String sessionId, String nodeId) {
    return PREFIX
        + Ids.require("session_id", sessionId)
        + ".node."
        + Ids.require("node_id", nodeId)
        + ".round";
  }

  /** {@code mesh.events.collab.<type>}: the reference's session notification. */
  public static String notification(String type) {
    return "mesh.events.collab." + type;
  }
}
