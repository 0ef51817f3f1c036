package dev.jetmesh.schema.model;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.jetmesh.schema.Json;
import java.math.BigDecimal;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * What a task (or a plan, or a session) has spent, in US dollars: the exact sum of every cost that
 * was reported, and how many runs reported none. An unknown cost is never counted as 0: it is
 * counted apart, so a budget is enforced on what is known and every message about it says how much
 * is not. Immutable.
 *
 * @param knownUsd the sum of the reported costs, exact
 * @param unknown runs (attempts, reflections) whose cost is unknown
 */
public record Spend(BigDecimal knownUsd, int unknown) {
  /** The reason code of a task, session or plan that ran out of money. */
  public static final String BUDGET_EXCEEDED = "budget_exceeded";

  /** Nothing spent. */
  public static final Spend NONE = new Spend(BigDecimal.ZERO, 0);

  public Spend {
    java.util.Objects.requireNonNull(knownUsd, "null known_usd");
  }

  /** The spend of {@code attempts}. */
  public static Spend of(Collection<Attempt> attempts) {
    Spend s = NONE;
    for (Attempt a : attempts) {
      s = s.plus(a.costUsd());
    }
    return s;
  }

  /** This plus one run that cost {@code costUsd} (null: unknown). */
  public Spend plus(@Nullable BigDecimal costUsd) {
    return costUsd == null
        ? new Spend(knownUsd, unknown + 1)
        : new Spend(knownUsd.add(costUsd), unknown);
  }

  /** This plus {@code other}. */
  public Spend plus(Spend other) {
    return new Spend(knownUsd.add(other.knownUsd), unknown + other.unknown);
  }

  /** Whether the known spend has reached {@code budgetUsd}; never, when there is no budget. */
  public boolean reaches(@Nullable BigDecimal budgetUsd) {
    return budgetUsd != null && knownUsd.compareTo(budgetUsd) >= 0;
  }

  /**
   * {@code Budget exceeded: $0.30 spent of $0.25 budget_usd}, plus {@code (2 runs of unknown cost
   * not counted)} when some cost is unknown.
   */
  public String exceededText(BigDecimal budgetUsd) {
    String s =
        "Budget exceeded: $"
            + knownUsd.toPlainString()
            + " spent of $"
            + budgetUsd.toPlainString()
            + " budget_usd";
    return unknown == 0 ? s : s + " (" + unknownText() + " not counted)";
  }

  /** {@code 1 run of unknown cost}, {@code 2 runs of unknown cost}. */
  public String unknownText() {
    return unknown + (unknown == 1 ? " run" : " runs") + " of unknown cost";
  }

  /**
   * The result of what ran out of money: {@code {success:false, summary, reason:"budget_exceeded",
   * spent_usd, budget_usd, unknown_cost_runs}}, so that what the decision was taken from is
   * recorded with it.
   */
  public ObjectNode exceededResult(BigDecimal budgetUsd) {
    ObjectNode r = Json.mapper().createObjectNode();
    r.put("success", false);
    r.put("summary", exceededText(budgetUsd));
    r.put("reason", BUDGET_EXCEEDED);
    r.put("spent_usd", knownUsd);
    r.put("budget_usd", budgetUsd);
    r.put("unknown_cost_runs", unknown);
    return r;
  }
}
