package dev.jetmesh.schema.events;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The registry of event types, built by walking the sealed hierarchy under {@link MeshEvent}, so
 * that a new record is registered by being permitted, and one without {@link EventType} fails at
 * class initialisation (and in {@code EventCatalogTest}). Immutable and thread-safe.
 */
public final class EventCatalog {
  /** A registered event type. */
  public record Entry(String type, int version, Class<? extends MeshEvent> javaType) {}

  private static final Map<String, Entry> BY_TYPE;
  private static final Map<Class<?>, Entry> BY_CLASS;

  static {
    Map<String, Entry> byType = new LinkedHashMap<>();
    Map<Class<?>, Entry> byClass = new LinkedHashMap<>();
    Deque<Class<?>> todo = new ArrayDeque<>();
    todo.add(MeshEvent.class);
    while (!todo.isEmpty()) {
      Class<?> c = todo.poll();
      if (c.isSealed()) {
        Collections.addAll(todo, c.getPermittedSubclasses());
        continue;
      }
      EventType ann = c.getAnnotation(EventType.class);
      if (ann == null) {
        throw new IllegalStateException("event record without @EventType: " + c.getName());
      }
      @SuppressWarnings("unchecked")
      Class<? extends MeshEvent> ev = (Class<? extends MeshEvent>) c;
      Entry e = new Entry(ann.value(), ann.version(), ev);
      if (byType.put(e.type(), e) != null) {
        throw new IllegalStateException("duplicate event type name: " + e.type());
      }
      byClass.put(c, e);
    }
    BY_TYPE = Collections.unmodifiableMap(byType);
    BY_CLASS = Collections.unmodifiableMap(byClass);
  }

  private EventCatalog() {}

  /** Every registered type, in catalogue order. */
  public static Map<String, Entry> all() {
    return BY_TYPE;
  }

  /** The entry for a type name, or null when the name is unknown. */
  public static @Nullable Entry byType(String type) {
    return BY_TYPE.get(type);
  }

  /** The entry of an event class. */
  public static Entry entryOf(Class<?> eventClass) {
    Entry e = BY_CLASS.get(eventClass);
    if (e == null) {
      throw new IllegalArgumentException("not an event record: " + eventClass.getName());
    }
    return e;
  }
}
