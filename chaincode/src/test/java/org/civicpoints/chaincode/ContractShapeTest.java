package org.civicpoints.chaincode;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.hyperledger.fabric.contract.ContractInterface;
import org.hyperledger.fabric.contract.annotation.Contract;
import org.hyperledger.fabric.contract.annotation.Default;
import org.hyperledger.fabric.contract.annotation.Transaction;
import org.junit.jupiter.api.Test;

/** What other modules rely on: the fixed transaction names and intents, and no shared state. */
class ContractShapeTest {
  private static final List<Class<?>> MAIN_CLASSES =
      List.of(
          PointsContract.class,
          Account.class,
          Entry.class,
          Rule.class,
          PointsError.class,
          Fields.class,
          JsonWriter.class,
          WorldState.class,
          AwardRecorder.class,
          AwardRequest.class,
          AwardResult.class,
          RedeemRequest.class,
          ReverseRequest.class,
          RefundRequest.class,
          Correction.class,
          ExpireRequest.class,
          Expiry.class,
          Lots.class,
          MoveResult.class,
          CapGrant.class,
          CapPeriod.class,
          TxScope.class,
          Points.class,
          Category.class,
          EntryKind.class,
          WriteStatus.class,
          PointsChaincodeServer.class);

  @Test
  void the_contract_is_the_default_points_contract() {
    assertThat(Modifier.isFinal(PointsContract.class.getModifiers())).isTrue();
    assertThat(ContractInterface.class).isAssignableFrom(PointsContract.class);
    assertThat(PointsContract.class.getAnnotation(Contract.class).name()).isEqualTo("points");
    assertThat(PointsContract.class.getAnnotation(Default.class)).isNotNull();
  }

  @Test
  void transactions_have_their_fixed_names_and_intents() {
    final List<String> submits = transactions(Transaction.TYPE.SUBMIT);
    final List<String> evaluates = transactions(Transaction.TYPE.EVALUATE);

    assertThat(submits)
        .containsExactlyInAnyOrder(
            "PutRule", "RecordAwards", "Redeem", "Reverse", "RefundRedemption", "Expire");
    assertThat(evaluates)
        .containsExactlyInAnyOrder(
            "GetAccount",
            "GetEntry",
            "GetRule",
            "ListEntries",
            "ListAccounts",
            "GetAccountHistory");
    assertThat(
            Arrays.stream(PointsContract.class.getDeclaredMethods())
                .filter(m -> Modifier.isPublic(m.getModifiers())))
        .as("every public method is a transaction")
        .hasSize(submits.size() + evaluates.size());
  }

  @Test
  void no_class_holds_mutable_static_state() {
    for (final Class<?> type : MAIN_CLASSES) {
      for (final Field field : type.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
          assertThat(Modifier.isFinal(field.getModifiers()))
              .as("%s.%s", type.getSimpleName(), field.getName())
              .isTrue();
          assertThat(
                  field.getType().isPrimitive()
                      || field.getType() == String.class
                      || field.getType().isEnum()
                      || field.getType() == java.util.regex.Pattern.class
                      || field.getType() == type)
              .as("%s.%s is an immutable constant", type.getSimpleName(), field.getName())
              .isTrue();
        }
      }
    }
  }

  private static List<String> transactions(final Transaction.TYPE intent) {
    return Arrays.stream(PointsContract.class.getDeclaredMethods())
        .filter(m -> Modifier.isPublic(m.getModifiers()))
        .filter(
            m ->
                m.getAnnotation(Transaction.class) != null
                    && m.getAnnotation(Transaction.class).intent() == intent)
        .map(Method::getName)
        .toList();
  }
}
