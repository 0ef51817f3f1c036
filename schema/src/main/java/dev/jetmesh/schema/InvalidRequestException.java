package dev.jetmesh.schema;

/** A request was malformed: not JSON, a missing or wrong-typed field, an invalid id, too large. */
public class InvalidRequestException extends MeshException {
  public InvalidRequestException(String message) {
    super(ErrorCode.INVALID_REQUEST, message);
  }
}
