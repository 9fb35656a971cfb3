package io.llmgateway.core.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The core's dependency rule and adapter visibility, checked on the compiled main classes. */
@AnalyzeClasses(
    packages = "io.llmgateway.core",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CoreArchitectureTest {

  @ArchTest
  static final ArchRule coreUsesOnlyTheJdkAndSlf4j =
      classes()
          .that()
          .resideInAPackage("io.llmgateway.core..")
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage("java..", "javax..", "org.slf4j..", "io.llmgateway.core..")
          .because("gateway-core imports the JDK and slf4j-api only (STYLE.md rule 1)");

  @ArchTest
  static final ArchRule inMemoryAdaptersHideBehindTheirFactory =
      classes()
          .that()
          .resideInAPackage("io.llmgateway.core.memory..")
          .and()
          .doNotHaveSimpleName("InMemoryAdapters")
          .should()
          .notBePublic()
          .because("adapters are package-private behind one public factory (STYLE.md rule 2)");

  @ArchTest
  static final ArchRule theFactoryIsFinalAndPublic =
      classes()
          .that()
          .haveSimpleName("InMemoryAdapters")
          .should()
          .bePublic()
          .andShould()
          .haveModifier(JavaModifier.FINAL);

  @ArchTest
  static final ArchRule domainAndPortsDoNotReachIntoAdapters =
      noClasses()
          .that()
          .resideInAnyPackage(
              "io.llmgateway.core.money..",
              "io.llmgateway.core.budget..",
              "io.llmgateway.core.identity..",
              "io.llmgateway.core.catalog..",
              "io.llmgateway.core.spend..",
              "io.llmgateway.core.ratelimit..",
              "io.llmgateway.core.audit..",
              "io.llmgateway.core.chat..",
              "io.llmgateway.core.provider..",
              "io.llmgateway.core.error..",
              "io.llmgateway.core.admin..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.llmgateway.core.memory..")
          .because("the domain and its services see ports, never a particular adapter");
}
