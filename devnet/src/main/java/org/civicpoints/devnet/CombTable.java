package org.civicpoints.devnet;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat;

/**
 * A fixed-point comb table for one point (Lim–Lee), as BouncyCastle's FixedPointUtil builds it but
 * wider: 2^8 precomputed points make a 256-bit scalar multiplication 32 doublings and additions
 * instead of 43. Tables of the same width can be walked together to compute a·P + b·Q with one
 * shared run of doublings, which is what ECDSA verification needs.
 */
final class CombTable {

  private static final int WIDTH = 8;

  private final ECLookupTable points;
  private final ECPoint offset;
  private final int teeth;
  private final int bits;

  private CombTable(ECLookupTable points, ECPoint offset, int teeth) {
    this.points = points;
    this.offset = offset;
    this.teeth = teeth;
    this.bits = teeth * WIDTH;
  }

  static CombTable of(ECPoint point) {
    ECCurve curve = point.getCurve();
    int teeth = (curve.getOrder().bitLength() + WIDTH - 1) / WIDTH;
    ECPoint[] powers = new ECPoint[WIDTH + 1];
    powers[0] = point;
    for (int i = 1; i < WIDTH; i++) {
      powers[i] = powers[i - 1].timesPow2(teeth);
    }
    // The table holds P + (sums of powers); this offset takes the extra P's back out.
    powers[WIDTH] = powers[0].subtract(powers[1]);
    curve.normalizeAll(powers);
    ECPoint[] table = new ECPoint[1 << WIDTH];
    table[0] = powers[0];
    for (int bit = WIDTH - 1; bit >= 0; bit--) {
      int step = 1 << bit;
      for (int i = step; i < table.length; i += step << 1) {
        table[i] = table[i - step].add(powers[bit]);
      }
    }
    curve.normalizeAll(table);
    return new CombTable(
        curve.createCacheSafeLookupTable(table, 0, table.length), powers[WIDTH], teeth);
  }

  /** a·P + b·Q for the tables' points P and Q; variable time, for public scalars only. */
  static ECPoint sumOfProducts(CombTable p, BigInteger a, CombTable q, BigInteger b) {
    int[] aBits = Nat.fromBigInteger(p.bits, a);
    int[] bBits = Nat.fromBigInteger(q.bits, b);
    ECPoint sum = p.offset.getCurve().getInfinity();
    for (int tooth = 0; tooth < p.teeth; tooth++) {
      int aIndex = 0;
      int bIndex = 0;
      for (int bit = p.bits - 1 - tooth; bit >= 0; bit -= p.teeth) {
        aIndex = (aIndex << 1) | ((aBits[bit >>> 5] >>> (bit & 31)) & 1);
        bIndex = (bIndex << 1) | ((bBits[bit >>> 5] >>> (bit & 31)) & 1);
      }
      sum = sum.twicePlus(p.points.lookupVar(aIndex)).add(q.points.lookupVar(bIndex));
    }
    return sum.add(p.offset).add(q.offset).normalize();
  }
}
