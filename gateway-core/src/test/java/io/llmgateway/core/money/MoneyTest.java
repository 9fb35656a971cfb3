package io.llmgateway.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
