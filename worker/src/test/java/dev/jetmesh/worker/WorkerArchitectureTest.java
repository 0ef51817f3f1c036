package dev.jetmesh.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;

/**
 * The worker's package contracts, checked on its main classes. The layers, top to bottom: the root
 * package (configuration, command line, wiring) → {@code claim} (the claim loop) → {@code task} and
 * {@code collab} (solo execution and session membership, which never see each other) → {@code run}
 * (what both share: the attempt runner, task control, heartbeats) → {@code mesh} (NATS, the only
 * {@code io.nats} code), {@code node} (the node's host facts and health beats, used by the root
 * only, over {@code mesh}), and the tools {@code git}, {@code provider}, {@code prompt} over {@code
 * process}. A lower layer never reaches up, and the tools and {@code mesh} never reach each other.
 */
@AnalyzeClasses(
    packages = WorkerArchitectureTest.ROOT,
    importOptions = ImportOption.DoNotIncludeTests.class)
class WorkerArchitectureTest {
  static final String ROOT = "dev.jetmesh.worker";

  /** One slice per package directly under the root, and the root itself. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          if (p.equals(ROOT)) {
            return SliceIdentifier.of("(root)");
          }
          if (p.startsWith(ROOT + ".")) {
            return SliceIdentifier.of(p.substring(ROOT.length() + 1).split("\\.")[0]);
          }
          return SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the worker's packages";
        }
      };

  @ArchTest
  static final ArchRule packages_haveNoCycles =
      slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

  @ArchTest
  static final ArchRule onlyMesh_usesNats =
      noClasses()
          .that()
          .resideOutsideOfPackage(ROOT + ".mesh..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.nats..")
          .because("mesh is the worker's only NATS code; the rest sees its interfaces");

  @ArchTest
  static final ArchRule processAndGit_doNotUseMesh =
      noClasses()
          .that()
          .resideInAnyPackage(ROOT + ".process..", ROOT + ".git..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage(ROOT + ".mesh..")
          .because("child processes and git know nothing of the mesh");

  @ArchTest
  static final ArchRule layers_areRespected =
      layeredArchitecture()
          .consideringOnlyDependenciesInLayers()
          .layer("Root")
          .definedBy(ROOT)
          .layer("Claim")
          .definedBy(ROOT + ".claim..")
          .layer("Task")
          .definedBy(ROOT + ".task..")
          .layer("Collab")
          .definedBy(ROOT + ".collab..")
          .layer("Run")
          .definedBy(ROOT + ".run..")
          .layer("Node")
          .definedBy(ROOT + ".node..")
          .layer("Mesh")
          .definedBy(ROOT + ".mesh..")
          .layer("Tools")
          .definedBy(ROOT + ".git..", ROOT + ".provider..", ROOT + ".prompt..")
          .layer("Process")
          .definedBy(ROOT + ".process..")
          .whereLayer("Root")
          .mayNotBeAccessedByAnyLayer()
          .whereLayer("Claim")
          .mayOnlyBeAccessedByLayers("Root")
          .whereLayer("Task")
          .mayOnlyBeAccessedByLayers("Root", "Claim")
          .whereLayer("Collab")
          .mayOnlyBeAccessedByLayers("Root", "Claim")
          .whereLayer("Run")
          .mayOnlyBeAccessedByLayers("Root", "Claim", "Task", "Collab")
          .whereLayer("Node")
          .mayOnlyBeAccessedByLayers("Root")
          .whereLayer("Mesh")
          .mayOnlyBeAccessedByLayers("Root", "Claim", "Task", "Collab", "Run", "Node")
          .whereLayer("Tools")
          .mayOnlyBeAccessedByLayers("Root", "Claim", "Task", "Collab", "Run")
          .whereLayer("Process")
          .mayOnlyBeAccessedByLayers("Root", "Claim", "Task", "Collab", "Run", "Tools");

  @ArchTest
  static final ArchRule onlyTheEntryPoint_readsTheEnvironment =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(WorkerMain.class.getName())
          .should()
          .callMethod(System.class, "getenv")
          .orShould()
          .callMethod(System.class, "getenv", String.class)
          .because("the environment is read once, at start, and parsed into WorkerConfig");

  @ArchTest
  static final ArchRule onlyTheConfiguration_readsSystemProperties =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(WorkerConfig.class.getName())
          .should()
          .callMethod(System.class, "getProperty", String.class)
          .orShould()
          .callMethod(System.class, "getProperty", String.class, String.class)
          .orShould()
          .callMethod(System.class, "getProperties")
          .because("settings are read once, into WorkerConfig");
}
