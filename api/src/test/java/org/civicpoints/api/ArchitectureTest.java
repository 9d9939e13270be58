package org.civicpoints.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** http → service → port ← adapters (mongo, firebase, embedded, fabric); domain below them all. */
@AnalyzeClasses(
    packages = "org.civicpoints.api",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] ADAPTERS = {
    "..api.mongo..", "..api.firebase..", "..api.embedded..", "..api.fabric.."
  };

  @ArchTest
  static final ArchRule domain_depends_on_nothing_of_ours =
      noClasses()
          .that()
          .resideInAPackage("..api.domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..api.port..",
              "..api.service..",
              "..api.http..",
              "..api.config..",
              "..api.mongo..",
              "..api.firebase..",
              "..api.embedded..",
              "..api.fabric..");

  @ArchTest
  static final ArchRule ports_know_only_the_domain =
      noClasses()
          .that()
          .resideInAPackage("..api.port..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..api.service..",
              "..api.http..",
              "..api.config..",
              "..api.mongo..",
              "..api.firebase..",
              "..api.embedded..",
              "..api.fabric..");

  @ArchTest
  static final ArchRule services_do_not_know_adapters_or_http =
      noClasses()
          .that()
          .resideInAPackage("..api.service..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "..api.http..",
              "..api.mongo..",
              "..api.firebase..",
              "..api.embedded..",
              "..api.fabric..",
              "..api.config..");

  @ArchTest
  static final ArchRule http_does_not_reach_adapters =
      noClasses()
          .that()
          .resideInAPackage("..api.http..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(ADAPTERS);

  @ArchTest
  static final ArchRule adapters_do_not_reach_up =
      noClasses()
          .that()
          .resideInAnyPackage(ADAPTERS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..api.http..", "..api.service..");

  @ArchTest
  static final ArchRule adapters_do_not_know_each_other =
      noClasses()
          .that()
          .resideInAPackage("..api.mongo..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..api.firebase..", "..api.embedded..", "..api.fabric..");

  /**
   * The API speaks to any ledger only through fabric-gateway; the devnet is started, never reached
   * into.
   */
  @ArchTest
  static final ArchRule the_api_never_imports_chaincode =
      noClasses().should().dependOnClassesThat().resideInAPackage("org.civicpoints.chaincode..");

  @ArchTest
  static final ArchRule only_the_embedded_package_starts_the_devnet =
      noClasses()
          .that()
          .resideOutsideOfPackage("..api.embedded..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.civicpoints.devnet..");

  @ArchTest
  static final ArchRule only_the_wiring_knows_everything =
      noClasses()
          .that()
          .resideOutsideOfPackage("org.civicpoints.api")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("org.civicpoints.api");
}
