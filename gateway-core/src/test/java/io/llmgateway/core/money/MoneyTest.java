package io.llmgateway.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {

  @ParameterizedTest(name = "${0} is {1} nano-USD")
  @CsvSource({
    "0, 0",
    "0.017, 17000000",
    "0.50, 500000000",
    "2, 2000000000",
    "0.000000001, 1",
    "1e-9, 1",
    "' 1.5 ', 1500000000",
    "1000000000, 1000000000000000000",
  })
  void parsesDollarAmountsExactly(String usd, long nanos) {
    assertThat(Money.ofUsd(usd)).isEqualTo(Money.ofNanos(nanos));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0000000001", "0.0170000001", "1e-10"})
  void refusesMoreThanNineDecimalPlacesRatherThanRounding(String usd) {
    assertThatThrownBy(() -> Money.ofUsd(usd))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("9 decimal places");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-0.01", "-1"})
  void refusesNegativeAmounts(String usd) {
    assertThatThrownBy(() -> Money.ofUsd(usd)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Money.ofNanos(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "", "1,5", "$1", "NaN"})
  void refusesWhatIsNotANumber(String usd) {
    assertThatThrownBy(() -> Money.ofUsd(usd)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * A JSON number is bounded in text length, not magnitude: {@code 1e-999999999} is 12 bytes but
   * its plain form is a billion characters. Refusing it must look only at precision and scale, and
   * the message must not carry the value (issue 15, finding 9).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "1e-999999999",
        "1e-2147483647",
        "1e2147483647",
        "-1e-2147483647",
        "1e-41",
        "1e41",
        "123456789012345678901234567890123456789012345"
      })
  void refusesHostileMagnitudesFastWithAShortMessage(String usd) {
    long start = System.nanoTime();
    BigDecimal parsed = new BigDecimal(usd);
    for (Runnable parse : List.<Runnable>of(() -> Money.ofUsd(usd), () -> Money.ofUsd(parsed))) {
      assertThatThrownBy(parse::run)
          .isInstanceOf(IllegalArgumentException.class)
          .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
    assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(100);
  }

  @Test
  void aVeryLongTextIsRefusedWithoutEchoingIt() {
    String digits = "9".repeat(100_000);
    assertThatThrownBy(() -> Money.ofUsd(digits))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
  }

  @Test
  void negativeZeroIsZeroAndTrailingZerosWithinBoundsAreExact() {
    assertThat(Money.ofUsd(new BigDecimal("-0"))).isEqualTo(Money.ZERO);
    assertThat(Money.ofUsd("0.0100000000000000000000")).isEqualTo(Money.ofNanos(10_000_000));
    assertThat(Money.ofUsd("1E+3")).isEqualTo(Money.ofNanos(1_000_000_000_000L));
  }

  @Test
  void refusesMoreThanABillionDollars() {
    assertThatThrownBy(() -> Money.ofUsd("1000000000.000000001"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void printsPlainDollarsWithoutScientificNotation() {
    assertThat(Money.ofUsd("0.017").toUsdString()).isEqualTo("0.017");
    assertThat(Money.ofNanos(1).toUsdString()).isEqualTo("0.000000001");
    assertThat(Money.ofUsd("100").toUsdString()).isEqualTo("100");
    assertThat(Money.ZERO.toUsdString()).isEqualTo("0");
  }

  @Test
  void headroomNeverGoesNegative() {
    assertThat(Money.ofNanos(5).minusOrZero(Money.ofNanos(7))).isEqualTo(Money.ZERO);
  }

  @Property
  void printingAndParsingRoundTrips(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000_000_000L) long nanos) {
    Money m = Money.ofNanos(nanos);

    assertThat(Money.ofUsd(m.toUsdString())).isEqualTo(m);
  }
}
