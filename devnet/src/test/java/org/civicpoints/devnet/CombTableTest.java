package org.civicpoints.devnet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class CombTableTest {

  private static final X9ECParameters P256 = CustomNamedCurves.getByName("secp256r1");

  @Test
  void computes_the_sum_of_two_products_like_plain_multiplication() {
    SecureRandom random = new SecureRandom();
    ECPoint g = P256.getG();
    ECPoint q = g.multiply(new BigInteger(255, random)).normalize();
    CombTable gTable = CombTable.of(g);
    CombTable qTable = CombTable.of(q);
    BigInteger n = P256.getN();
    BigInteger[] edgeScalars = {BigInteger.ZERO, BigInteger.ONE, n.subtract(BigInteger.ONE)};
    for (int i = 0; i < 50; i++) {
      BigInteger a = i < 3 ? edgeScalars[i] : new BigInteger(256, random).mod(n);
      BigInteger b = new BigInteger(256, random).mod(n);

      ECPoint expected = g.multiply(a).add(q.multiply(b)).normalize();

      assertThat(CombTable.sumOfProducts(gTable, a, qTable, b)).isEqualTo(expected);
    }
  }
}
