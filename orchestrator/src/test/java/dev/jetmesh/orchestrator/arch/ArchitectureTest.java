package dev.jetmesh.orchestrator.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.Instant;

/**
 * The orchestrator's package contracts (docs/architecture.md, "Packages"). Each rule fails the
 * build when broken; the aggregates are the packages listed in {@link #AGGREGATES}.
 */
@AnalyzeClasses(
    packages = "dev.jetmesh.orchestrator",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  private static final String ROOT = "dev.jetmesh.orchestrator";
  private static final String[] AGGREGATES = {
    ROOT + ".task..", ROOT + ".collab..", ROOT + ".plan..", ROOT + ".node.."
  };

  /** Shared infrastructure: knows no aggregate, no CLI, not the composition root. */
  private static final String[] INFRASTRUCTURE = {
    ROOT + ".aggregate..",
    ROOT + ".api..",
    ROOT + ".config..",
    ROOT + ".db..",
    ROOT + ".module..",
    ROOT + ".projection..",
    ROOT + ".store..",
    ROOT + ".wire.."
  };

  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.jetmesh.orchestrator.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule infrastructureKnowsNoAggregate =
      noClasses()
          .that()
          .resideInAnyPackage(INFRASTRUCTURE)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(concat(AGGREGATES, ROOT + ".cli.."))
          .because("the projector and the routers discover modules; none of them names one");

  @ArchTest
  static final ArchRule onlyTheCompositionRootAndCliUseTheRoot =
      noClasses()
          .that()
          .resideOutsideOfPackages(ROOT, ROOT + ".cli..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(ROOT)
          .because("the root package wires the modules; nothing it wires may import it back");

  @ArchTest static final ArchRule taskImportsNoOtherAggregate = aggregateIsolated(ROOT + ".task..");

  @ArchTest
  static final ArchRule collabImportsNoOtherAggregate = aggregateIsolated(ROOT + ".collab..");

  @ArchTest static final ArchRule planImportsNoOtherAggregate = aggregateIsolated(ROOT + ".plan..");

  @ArchTest static final ArchRule nodeImportsNoOtherAggregate = aggregateIsolated(ROOT + ".node..");

  @ArchTest
  static final ArchRule onlyTheStoreTalksToJetStream =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".store..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.nats.client.api..", "io.nats.client.impl..")
          .orShould()
          .dependOnClassesThat()
          .haveNameMatching(
              "io\\.nats\\.client\\.(JetStream|Consumer|Fetch|Stream|PublishOptions).*")
          .because("appends and consumers are the store's: one place knows JetStream");

  @ArchTest
  static final ArchRule aggregatesUseNoNatsConnection =
      noClasses()
          .that()
          .resideInAnyPackage(AGGREGATES)
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.nats..")
          .because("aggregates append through the store and notify through wire.MeshBus");

  @ArchTest
  static final ArchRule onlyDatabaseProjectionsAndAggregatesUseJdbi =
      noClasses()
          .that()
          .resideInAnyPackage(
              ROOT,
              ROOT + ".aggregate..",
              ROOT + ".api..",
              ROOT + ".cli..",
              ROOT + ".config..",
              ROOT + ".module..",
              ROOT + ".store..",
              ROOT + ".wire..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.jdbi..", "java.sql..")
          .because("SQL lives in db, in projection and in each aggregate's projection and queries");

  @ArchTest
  static final ArchRule decidersAndEvolversArePure =
      noClasses()
          .that()
          .haveSimpleNameEndingWith("Decider")
          .or()
          .haveSimpleNameEndingWith("Evolver")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.nats..", "org.jdbi..", "java.sql..", "io.javalin..")
          .orShould()
          .dependOnClassesThat()
          .belongToAnyOf(Clock.class)
          .orShould()
          .callMethod(Instant.class, "now")
          .orShould()
          .callMethod(System.class, "getenv", String.class)
          .orShould()
          .callMethod(System.class, "getenv")
          .orShould()
          .callMethod(System.class, "currentTimeMillis")
          .because("a decision depends on its events, the command and the time passed in");

  @ArchTest
  static final ArchRule onlyConfigReadsTheEnvironment =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".config..")
          .should()
          .callMethod(System.class, "getenv", String.class)
          .orShould()
          .callMethod(System.class, "getenv")
          .because("settings are parsed and validated once, at start, into records");

  private static ArchRule aggregateIsolated(String aggregate) {
    String[] others =
        java.util.Arrays.stream(AGGREGATES)
            .filter(a -> !a.equals(aggregate))
            .toArray(String[]::new);
    return noClasses()
        .that()
        .resideInAPackage(aggregate)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(others)
        .because("aggregates meet through events and the module package's ports");
  }

  private static String[] concat(String[] a, String b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + 1);
    out[a.length] = b;
    return out;
  }
}
