package org.civicpoints.devnet;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

/**
 * The test-name convention of every module (the api's ArchitectureTest holds the same rule): a test
 * is named by the behaviour it checks, as a sentence in snake_case.
 */
class TestNamesTest {

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
                .importPackages("org.civicpoints.devnet"));
  }
}
