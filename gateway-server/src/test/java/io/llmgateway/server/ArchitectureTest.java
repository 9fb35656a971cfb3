package io.llmgateway.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The server's own rules: configuration enters through Main only; shared HTTP code stays shared.
 */
@AnalyzeClasses(
    packages = "io.llmgateway.server",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule onlyMainReadsTheEnvironment =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(Main.class.getName())
          .should()
          .callMethod(System.class, "getenv")
          .orShould()
          .callMethod(System.class, "getenv", String.class)
          .because("only Main reads env vars; everything below takes a ServerConfig");

  @ArchTest
  static final ArchRule onlyMainExitsOrPrints =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName(Main.class.getName())
          .should()
          .callMethod(System.class, "exit", int.class)
          .orShould()
          .accessField(System.class, "out")
          .orShould()
          .accessField(System.class, "err")
          .because("library code never exits or prints (STYLE.md rule 8)");

  @ArchTest
  static final ArchRule sharedHttpCodeDependsOnNoRouteGroup =
      noClasses()
          .that()
          .resideInAPackage("io.llmgateway.server.http..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.llmgateway.server.openai..",
              "io.llmgateway.server.health..",
              "io.llmgateway.server.metrics..",
              "io.llmgateway.server.docs..",
              "io.llmgateway.server.boot..")
          .because("the admin API and UI reuse io.llmgateway.server.http");

  @ArchTest
  static final ArchRule serverNeverReachesIntoAdapterInternals =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.llmgateway.core.internal..")
          .because("the server talks to the core through Gateway and the ports");
}
