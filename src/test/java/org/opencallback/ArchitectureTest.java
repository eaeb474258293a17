package org.opencallback;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: adapters → core → domain (docs: style guide). */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.opencallback");

  @Test
  void domain_depends_on_the_jdk_only() {
    noClasses().that().resideInAPackage("..domain..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.opencallback.config..", "org.opencallback.store..", "org.opencallback.http..",
            "org.opencallback.admission..", "org.opencallback.dispatch..", "org.opencallback.engine..",
            "org.opencallback.app..", "io.javalin..", "org.jdbi..", "com.fasterxml..")
        .check(MAIN);
  }

  @Test
  void only_app_names_the_adapters() {
    noClasses().that().resideOutsideOfPackages("org.opencallback.app..", "org.opencallback.http..")
        .should().dependOnClassesThat().resideInAnyPackage("org.opencallback.http..", "io.javalin..")
        .check(MAIN);
    noClasses().that().resideOutsideOfPackage("org.opencallback.app..")
        .should().dependOnClassesThat().resideInAPackage("org.opencallback.app..")
        .check(MAIN);
  }

  @Test
  void store_does_not_know_the_api_or_the_rules() {
    noClasses().that().resideInAPackage("..store..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.opencallback.admission..", "org.opencallback.http..", "org.opencallback.config..",
            "org.opencallback.dispatch..", "org.opencallback.engine..")
        .check(MAIN);
  }

  @Test
  void calendar_and_phone_are_pure() {
    noClasses().that().resideInAnyPackage("..calendar..", "..phone..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "org.opencallback.store..", "org.opencallback.http..", "org.opencallback.admission..",
            "org.opencallback.dispatch..", "org.opencallback.engine..", "org.opencallback.config..")
        .allowEmptyShould(true)
        .check(MAIN);
  }

  @Test
  void packages_have_no_cycles() {
    slices().matching("org.opencallback.(*)..").should().beFreeOfCycles().check(MAIN);
  }
}
