package dev.jetmesh.schema.events;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The stable wire name of an event record, e.g. {@code task.claimed}. */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface EventType {
  String value();

  /** Payload schema version; bump when a field changes meaning, not when one is added. */
  int version() default 1;
}
