package io.llmgateway.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The CLI's architecture rules, checked on its compiled main classes. */
class BoundariesTest {
  private static final JavaClasses CLI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.llmgateway.cli");

  @Test
  void onlyMainReadsTheEnvironment() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName(Main.class.getName())
        .should()
        .callMethod(System.class, "getenv")
        .orShould()
        .callMethod(System.class, "getenv", String.class)
        .check(CLI);
  }

  @Test
  void wiresOnlyCoreConfigAndPostgresNeverTheServerOrAProvider() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.llmgateway.server..", "io.llmgateway.bedrock..")
        .check(CLI);
  }

  @Test
  void changesGoThroughTheAdminServiceNotTheStoresWritePorts() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.llmgateway.cli.db..")
        .should()
        .callMethodWhere(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "a store write (insert/update/delete/upsert)",
                call ->
                    call.getTargetOwner().getPackageName().startsWith("io.llmgateway.core.identity")
                            || call.getTargetOwner()
                                .getPackageName()
                                .startsWith("io.llmgateway.core.catalog")
                        ? java.util.Set.of("insert", "update", "delete", "upsert")
                            .contains(call.getName())
                        : false))
        .check(CLI);
  }
}
