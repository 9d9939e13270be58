package org.civicpoints.api;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.INTERFACES;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * http → service → port ← adapters (mongo, firebase, embedded, fabric, gcs); domain below them all.
 * The code that runs on event loops never blocks, and vertx-openapi's internals are reached from
 * one class.
 */
@AnalyzeClasses(
    packages = "org.civicpoints.api",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  private static final String[] ADAPTERS = {
    "..api.mongo..", "..api.firebase..", "..api.embedded..", "..api.fabric..", "..api.gcs.."
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
              "..api.fabric..",
              "..api.gcs..");

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
              "..api.fabric..",
              "..api.gcs..");

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
              "..api.gcs..",
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
   * http names the values ports define (records and enums such as AuditQuery, EntryView,
   * HealthCheck.Status) but never reaches a port itself: every use case goes through a service,
   * where its rules are.
   */
  @ArchTest
  static final ArchRule http_uses_ports_only_for_their_values =
      noClasses()
          .that()
          .resideInAPackage("..api.http..")
          .should()
          .dependOnClassesThat(INTERFACES.and(resideInAPackage("..api.port..")));

  /**
   * Indexes are the adapters' start-up (the wiring runs each adapter's createIndexes before use),
   * not something a service could ask a port for.
   */
  @ArchTest
  static final ArchRule ports_leave_start_up_to_the_adapters =
      noMethods()
          .that()
          .areDeclaredInClassesThat()
          .resideInAPackage("..api.port..")
          .should()
          .haveName("createIndexes");

  /** The domain is plain Java: no framework type, so it reads the same wherever it is used. */
  @ArchTest
  static final ArchRule domain_knows_no_vertx =
      noClasses()
          .that()
          .resideInAPackage("..api.domain..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.vertx..");

  /** Only VertxInternals reaches into Vert.x internals; its javadoc says what for. */
  @ArchTest
  static final ArchRule vertx_internals_are_reached_from_one_class =
      noClasses()
          .that()
          .doNotHaveFullyQualifiedName("org.civicpoints.api.http.VertxInternals")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("io.vertx..impl..");

  /**
   * Handlers, services and the MongoDB adapters run on event loops, so they never wait: no {@code
   * Future.await}, sleeping, joining or blocking on a java.util.concurrent future, latch, queue or
   * lock. Exempt, because it must block and does so off the event loop: {@code
   * ResponseOutputStream} waits for the HTTP response to drain on the export worker thread, which
   * writes the spreadsheet through a plain OutputStream.
   */
  @ArchTest
  static final ArchRule nothing_on_an_event_loop_blocks =
      noClasses()
          .that()
          .resideInAnyPackage("..api.http..", "..api.service..", "..api.mongo..")
          .and()
          .doNotHaveFullyQualifiedName("org.civicpoints.api.http.ResponseOutputStream")
          .should()
          .callMethodWhere(blocking());

  private static DescribedPredicate<JavaMethodCall> blocking() {
    return DescribedPredicate.describe(
        "a blocking call",
        call -> {
          JavaClass owner = call.getTargetOwner();
          String name = call.getName();
          return owner.isAssignableTo("io.vertx.core.Future") && name.equals("await")
              || owner.isEquivalentTo(Thread.class) && (name.equals("sleep") || name.equals("join"))
              || owner.isEquivalentTo(Object.class) && name.equals("wait")
              || owner.isEquivalentTo(LockSupport.class) && name.startsWith("park")
              || owner.isAssignableTo(java.util.concurrent.Future.class)
                  && (name.equals("get") || name.equals("join"))
              || owner.isAssignableTo(BlockingQueue.class)
                  && (name.equals("take") || name.equals("put"))
              || owner.isAssignableTo(CountDownLatch.class) && name.equals("await")
              || owner.isAssignableTo(Semaphore.class) && name.startsWith("acquire");
        });
  }

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

  /**
   * One test-name convention: a test is named by the behaviour a user would see, as a sentence in
   * snake_case ({@code a_resident_cannot_approve_their_own_submission}); classes are {@code
   * XxxTest} under surefire and {@code XxxIT} under failsafe.
   */
  @Test
  void test_names_are_sentences_in_snake_case() {
    methods()
        .that()
        .areAnnotatedWith(Test.class)
        .or()
        .areAnnotatedWith(ParameterizedTest.class)
        .should()
        .haveNameMatching("[a-z][a-z0-9]*(_[a-z0-9]+)+")
        .check(
            new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.ONLY_INCLUDE_TESTS)
                .importPackages("org.civicpoints.api"));
  }
}
