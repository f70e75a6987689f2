package dev.driftline.core.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Against scipy 1.17: z = (p1 - p2) / sqrt(P(1-P)(1/n1 + 1/n2)), p = 2 * scipy.stats.norm.sf(|z|),
 * which is statsmodels' proportions_ztest([x1, x2], [n1, n2]) (pooled, value 0, two-sided).
 */
class TwoProportionZTest {
  @ParameterizedTest
  @CsvSource({
      // x1, n1, x2, n2, z, p: p1=x1/n1; p2=x2/n2; P=(x1+x2)/(n1+n2);
      // z=(p1-p2)/np.sqrt(P*(1-P)*(1/n1+1/n2)); print(z, 2*stats.norm.sf(abs(z)))
      "300, 1000, 330, 1000, -1.4441280189584216, 0.14870296786457413",
      "45, 100, 70, 120, -1.971501583949186, 0.04866653201059538",
      "600, 800, 200, 500, 12.619429464123963, 1.6501242156216578e-36",
      "1, 10, 9, 10, -3.577708763999664, 0.0003466193511346662",
  })
  void matchesScipy(long x1, long n1, long x2, long n2, double z, double p) {
    TwoProportionZ.Result r = TwoProportionZ.test(x1, n1, x2, n2);
    assertThat(r.statistic()).isCloseTo(z, within(1e-12));
    assertThat(r.pValue()).isCloseTo(p, within(Math.max(1e-14, p * 1e-9)));
  }

  @ParameterizedTest
  @CsvSource({"0, 10, 0, 20", "10, 10, 20, 20"})
  void oneClassOnlyIsNoEvidence(long x1, long n1, long x2, long n2) {
    assertThat(TwoProportionZ.test(x1, n1, x2, n2)).isEqualTo(new TwoProportionZ.Result(0.0, 1.0));
  }
}
