package io.llmgateway.bedrock;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** One public factory and its settings; AWS types never show in the module's public API. */
class ModuleBoundaryTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.llmgateway.bedrock");

  @Test
  void onlyTheFactoryAndItsSettingsArePublic() {
    classes()
        .that()
        .arePublic()
        .should()
        .haveNameMatching(
            "io\\.llmgateway\\.bedrock\\.(Providers|BedrockSettings|MockSettings)(\\$.*)?")
        .check(MAIN);
  }

  @Test
  void publicMethodsExposeNoAwsTypes() {
    noMethods()
        .that()
        .arePublic()
        .and()
        .areDeclaredInClassesThat()
        .arePublic()
        .should()
        .haveRawReturnType(
            com.tngtech.archunit.base.DescribedPredicate.describe(
                "an AWS SDK type", c -> c.getPackageName().startsWith("software.amazon")))
        .check(MAIN);
  }
}
