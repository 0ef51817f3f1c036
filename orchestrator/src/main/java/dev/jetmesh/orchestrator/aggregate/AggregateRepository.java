package dev.jetmesh.orchestrator.aggregate;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.jetmesh.orchestrator.store.ConcurrencyConflictException;
import dev.jetmesh.orchestrator.store.EventStore;
import dev.jetmesh.schema.ErrorCode;
import dev.jetmesh.schema.MeshException;
import dev.jetmesh.schema.events.Envelope;
import dev.jetmesh.schema.events.MeshEvent;
import dev.jetmesh.schema.events.StoredEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Loads, decides and appends for one aggregate family.
 *
 * <p>State is rebuilt by folding the aggregate's own subject with the family's {@code evolve}, and
 * cached by its last sequence. The cache is only an optimisation: an accepted decision is appended
 * with the expected last-subject sequence, so a stale entry causes a conflict and a reload, never a
 * wrong write; a refusal (which appends nothing) is confirmed against the subject's last sequence
 * before it is returned, and {@link #current} does the same for reads. Thread-safe.
 *
 * @param <S> the state (null before the first event)
 * @param <E> the family's event type
 */
public final class AggregateRepository<S, E extends MeshEvent> {
  private static final int MAX_TRIES = 8;

  /** How a family names, folds and versions its state. */
  public interface Model<S> {
    /** The subject of aggregate {@code id}, e.g. {@code mesh.evt.task.<id>}. */
    String subject(String id);

    /** The state after {@code event}; {@code state} is null before the first event. */
    S evolve(@Nullable S state, StoredEvent event);

    /** The stream sequence of the last event folded into {@code state}; 0 when it is null. */
    long version(@Nullable S state);

    /** For messages: "Task", "Session", "Plan". */
    String noun();

    /**
     * A model made of its functions.
     *
     * @param version the sequence of a state's last event; never called with null (that is 0)
     */
    static <S> Model<S> of(
        String noun,
        UnaryOperator<String> subject,
        BiFunction<@Nullable S, StoredEvent, S> evolve,
        ToLongFunction<S> version) {
      return new FunctionModel<>(
          requireNonNull(noun, "null noun"),
          requireNonNull(subject, "null subject"),
          requireNonNull(evolve, "null evolve"),
          requireNonNull(version, "null version"));
    }
  }

  private record FunctionModel<S>(
      String noun,
      UnaryOperator<String> subjects,
      BiFunction<@Nullable S, StoredEvent, S> evolver,
      ToLongFunction<S> versions)
      implements Model<S> {
    @Override
    public String subject(String id) {
      return subjects.apply(id);
    }

    @Override
    public S evolve(@Nullable S state, StoredEvent event) {
      return evolver.apply(state, event);
    }

    @Override
    public long version(@Nullable S state) {
      return state == null ? 0 : versions.applyAsLong(state);
    }
  }

  /** Decides against the current state (null when the aggregate does not exist yet). */
  @FunctionalInterface
  public interface Decider<S, E extends MeshEvent> {
    Decision<E> decide(@Nullable S state, Instant now);
  }

  /** The effect of a command: the state after it and the events it appended (maybe none). */
  public record Outcome<S>(@Nullable S state, List<StoredEvent> appended) {}

  private final EventStore store;
  private final Clock clock;
  private final Model<S> model;
  private final Cache<String, S> cache;

  public AggregateRepository(EventStore store, Clock clock, Model<S> model, long cacheSize) {
    this.store = store;
    this.clock = clock;
    this.model = model;
    this.cache = Caffeine.newBuilder().maximumSize(cacheSize).build();
  }

  /** Caches {@code s} unless the cache already holds a newer state of the aggregate. */
  private void remember(String id, S s) {
    cache.asMap().merge(id, s, (old, nu) -> model.version(old) >= model.version(nu) ? old : nu);
  }

  /**
   * Decides and appends, retrying on conflicts.
   *
   * @param actor who asked (a node id, a user, or {@code orchestrator})
   * @param causationId the request's or triggering event's id
   * @param eventIdSeed when not null, event ids are derived from it, so that a decision taken twice
   *     (two orchestrators, a crash and a re-run) is deduplicated by the stream
   * @throws CommandRejectedException when the decider refuses
   */
  public Outcome<S> execute(
      String id,
      Decider<S, E> decider,
      String actor,
      @Nullable String causationId,
      @Nullable String eventIdSeed) {
    String subject = model.subject(id);
    boolean verified = false;
    // An aggregate this process has not seen is first assumed not to exist, which saves reading
    // its subject when it is being created (a submission): the append then expects an empty
    // subject, so if it does exist the append conflicts and the command is decided again on the
    // real state. Any other outcome on the assumed-empty state is discarded and decided again.
    boolean assumedNew = cache.getIfPresent(id) == null;
    for (int attempt = 1; ; attempt++) {
      S state = assumedNew ? null : load(id);
      Instant now = now();
      Decision<E> decision = decider.decide(state, now);
      if (assumedNew) {
        assumedNew = false;
        if (!(decision instanceof Decision.Accept<E> a) || a.events().isEmpty()) {
          attempt--;
          continue;
        }
      }
      switch (decision) {
        case Decision.Reject<E> r -> {
          if (!verified && !isCurrent(subject, state)) {
            verified = true;
            cache.invalidate(id);
            continue;
          }
          throw r.toException();
        }
        case Decision.Accept<E> a -> {
          if (a.events().isEmpty()) {
            return new Outcome<>(state, List.of());
          }
          try {
            return append(
                id, state, model.version(state), a.events(), actor, causationId, eventIdSeed, now);
          } catch (ConcurrencyConflictException e) {
            cache.invalidate(id);
            if (attempt >= MAX_TRIES) {
              throw new MeshException(
                  ErrorCode.CONFLICT, model.noun() + " " + id + " is too busy: try again", e);
            }
          }
        }
      }
    }
  }

  /**
   * Appends a reactor's decision taken from the read model, expecting the aggregate to be exactly
   * at {@code projectedSeq}. No retry: on a conflict the stream has moved on, and the reactor
   * decides again when the projector reaches the newer events.
   *
   * @throws ConcurrencyConflictException when the aggregate is past {@code projectedSeq}
   */
  public Outcome<S> appendAt(
      String id, long projectedSeq, List<E> events, String actor, String causationId, String seed) {
    S state = load(id);
    if (model.version(state) != projectedSeq) {
      state = reloadQuietly(id);
    }
    if (model.version(state) != projectedSeq) {
      throw new ConcurrencyConflictException(
          model.subject(id), projectedSeq, "aggregate is at " + model.version(state));
    }
    return append(id, state, projectedSeq, events, actor, causationId, seed, now());
  }

  private Outcome<S> append(
      String id,
      @Nullable S state,
      long expected,
      List<E> events,
      String actor,
      @Nullable String causationId,
      @Nullable String seed,
      Instant now) {
    String subject = model.subject(id);
    List<StoredEvent> stored = new ArrayList<>(events.size());
    S next = state;
    int i = 0;
    for (E ev : events) {
      Envelope env = Envelope.wrap(ev, id, actor, causationId, now);
      if (seed != null) {
        env =
            env.withEventId(
                UUID.nameUUIDFromBytes((seed + "#" + i).getBytes(StandardCharsets.UTF_8)));
      }
      long seq = store.append(subject, env, expected);
      i++;
      if (seq <= expected) {
        // The stream already had this id (a fresh append always lands after the subject's last
        // event): a decision retried after a crash. The state, at the subject's last sequence,
        // holds it already; folding it again, or expecting its old sequence next, would be wrong.
        continue;
      }
      StoredEvent se = new StoredEvent(seq, subject, env);
      next = model.evolve(next, se);
      stored.add(se);
      expected = seq;
    }
    if (next != null) {
      remember(id, next);
    }
    return new Outcome<>(next, stored);
  }

  /**
   * The state, from the cache if present (possibly stale across orchestrators), else the stream.
   */
  public @Nullable S load(String id) {
    S cached = cache.getIfPresent(id);
    if (cached != null) {
      return cached;
    }
    S s = null;
    for (StoredEvent e : store.read(model.subject(id))) {
      s = model.evolve(s, e);
    }
    if (s != null) {
      remember(id, s);
    }
    return s;
  }

  /** The state, confirmed against the subject's last sequence (one direct lookup). */
  public @Nullable S current(String id) {
    S s = load(id);
    if (!isCurrent(model.subject(id), s)) {
      s = reloadQuietly(id);
    }
    return s;
  }

  private @Nullable S reloadQuietly(String id) {
    cache.invalidate(id);
    return load(id);
  }

  private boolean isCurrent(String subject, @Nullable S state) {
    return store.lastSequenceOf(subject) == model.version(state);
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
