package org.opencallback;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The arrows of docs/architecture.md: adapters → application → domain, nothing back. */
class ArchitectureTest {
  private static final JavaClasses MAIN =
      new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.opencallback");

  private static final String P = "org.opencallback.";

  @Test
  void domain_depends_on_the_jdk_only() {
    noClasses().that().resideInAPackage(P + "domain..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "config..", P + "store..", P + "http..", P + "callback..", P + "scheduling..",
            P + "engine..", P + "cluster..", P + "admin..", P + "observability..", P + "notify..",
            P + "app..", "io.javalin..", "org.jdbi..", "com.fasterxml..")
        .check(MAIN);
  }

  @Test
  void only_app_names_the_adapters() {
    noClasses().that().resideOutsideOfPackages(P + "app..", P + "http..")
        .should().dependOnClassesThat().resideInAnyPackage(P + "http..", "io.javalin..")
        .check(MAIN);
    noClasses().that().resideOutsideOfPackage(P + "app..")
        .should().dependOnClassesThat().resideInAPackage(P + "app..")
        .check(MAIN);
  }

  @Test
  void store_does_not_know_the_api_or_the_rules() {
    noClasses().that().resideInAPackage(P + "store..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "callback..", P + "http..", P + "config..", P + "scheduling..", P + "engine..",
            P + "cluster..", P + "admin..", P + "observability..", P + "notify..")
        .check(MAIN);
  }

  @Test
  void calendar_and_phone_are_pure() {
    noClasses().that().resideInAnyPackage(P + "calendar..", P + "phone..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "store..", P + "http..", P + "callback..", P + "scheduling..", P + "engine..",
            P + "config..", P + "cluster..", P + "admin..", P + "notify..")
        .allowEmptyShould(true)
        .check(MAIN);
  }

  @Test
  void admission_rules_sit_below_the_callback_service() {
    noClasses().that().resideInAPackage(P + "callback.admission..")
        .should().dependOnClassesThat().resideInAPackage(P + "callback")
        .check(MAIN);
  }

  @Test
  void the_engine_spi_knows_only_the_domain_and_the_options() {
    noClasses().that().resideInAPackage(P + "engine")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "callback..", P + "scheduling..", P + "store..", P + "cluster..", P + "admin..",
            P + "observability..", P + "notify..", P + "engine.builtin..", P + "engine.ors..",
            P + "engine.webhook..")
        .check(MAIN);
  }

  @Test
  void engines_report_through_the_spi_and_know_neither_the_api_nor_the_scheduler() {
    noClasses().that().resideInAnyPackage(P + "engine.builtin..", P + "engine.ors..", P + "engine.webhook..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "callback..", P + "scheduling..", P + "cluster..", P + "admin..", P + "notify..")
        .check(MAIN);
  }

  @Test
  void only_the_builtin_engine_keeps_state_in_the_database() {
    // engine.builtin -> store: its cluster-wide queues (SharedQueues.inDatabase over store.WaitingStore)
    noClasses().that().resideInAnyPackage(P + "engine.ors..", P + "engine.webhook..")
        .should().dependOnClassesThat().resideInAPackage(P + "store..")
        .check(MAIN);
  }

  @Test
  void scheduling_hands_over_without_knowing_the_api() {
    noClasses().that().resideInAPackage(P + "scheduling..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "callback..", P + "admin..", P + "cluster..", P + "notify..", P + "observability..",
            P + "engine.builtin..", P + "engine.ors..", P + "engine.webhook..")
        .check(MAIN);
  }

  @Test
  void observability_watches_without_driving() {
    noClasses().that().resideInAPackage(P + "observability..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "callback..", P + "scheduling..", P + "engine..", P + "cluster..", P + "admin..",
            P + "notify..")
        .check(MAIN);
  }

  /** The domain speaks domain: GMS's Java exception class names are mapped at the edge (http.GmsErrors). */
  @Test
  void only_http_names_gms_exception_classes() throws IOException {
    Path main = Path.of("src/main/java/org/opencallback");
    try (Stream<Path> files = Files.walk(main)) {
      List<Path> naming = files.filter(file -> file.toString().endsWith(".java"))
          .filter(file -> !file.startsWith(main.resolve("http")))
          .filter(file -> read(file).contains("com.genesyslab"))
          .toList();
      assertThat(naming).as("classes outside http naming a GMS exception class").isEmpty();
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void the_outbound_check_stands_alone() {
    noClasses().that().resideInAPackage(P + "outbound..")
        .should().dependOnClassesThat().resideInAnyPackage(
            P + "config..", P + "store..", P + "http..", P + "callback..", P + "scheduling..",
            P + "engine..", P + "cluster..", P + "admin..", P + "observability..", P + "notify..", P + "app..")
        .check(MAIN);
  }

  @Test
  void top_level_packages_have_no_cycles() {
    slices().matching("org.opencallback.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void no_cycles_between_any_two_packages() {
    slices().matching("org.opencallback.(**)").should().beFreeOfCycles().check(MAIN);
  }
}
