package dev.jetmesh.schema.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The contract module shares types, not behaviour: no I/O, no cycles. */
@AnalyzeClasses(
    packages = "dev.jetmesh.schema",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SchemaArchitectureTest {
  @ArchTest
  static final ArchRule noPackageCycles =
      slices().matching("dev.jetmesh.schema.(*)..").should().beFreeOfCycles();

  @ArchTest
  static final ArchRule talksToNothing =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.nats..", "org.jdbi..", "java.sql..", "io.javalin..", "java.net..")
          .because("schema is the contract both the orchestrator and the worker compile against");
}
