package org.civicpoints.chaincode;

/**
 * Overflow-checked point arithmetic: an overflow is the caller's bad input, never a wrap-around.
 */
final class Points {
  private Points() {}

  static long add(final long a, final long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      throw PointsError.INVALID_ARGUMENT.exception("points overflow: " + a + " + " + b);
    }
  }

  static long subtract(final long a, final long b) {
    try {
      return Math.subtractExact(a, b);
    } catch (ArithmeticException e) {
      throw PointsError.INVALID_ARGUMENT.exception("points overflow: " + a + " - " + b);
    }
  }

  static long multiply(final long a, final long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw PointsError.INVALID_ARGUMENT.exception("points overflow: " + a + " x " + b);
    }
  }
}
