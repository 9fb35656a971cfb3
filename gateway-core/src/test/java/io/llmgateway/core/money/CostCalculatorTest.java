package io.llmgateway.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.testing.Fixtures;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CostCalculatorTest {
  private static final Price MICRO_IN = Price.perMillionUsd("0.035");
  private static final Price MICRO_OUT = Price.perMillionUsd("0.14");
  private static final Price PRO_OUT = Price.perMillionUsd("3.20");

  @ParameterizedTest(name = "{0} tokens at ${1}/1M cost {2} nano-USD")
  @CsvSource({
    // Nova Micro
    "1, 0.035, 35",
    "1, 0.14, 140",
    "1000000, 0.035, 35000000",
    "1000000, 0.14, 140000000",
    // Nova Lite
    "1, 0.06, 60",
    "1, 0.24, 240",
    "12345, 0.06, 740700",
    // Nova Pro
    "1, 0.80, 800",
    "1, 3.20, 3200",
    "4096, 3.20, 13107200",
    // Sub-nano prices round up, never down to zero
    "1, 0.0000005, 1",
    "2000, 0.0000005, 1",
    "2001, 0.0000005, 2",
    "3, 0.000333333, 1",
    "0, 3.20, 0",
  })
  void costsAreExactOrRoundedUpToTheNextNanoDollar(long tokens, String usdPerMillion, long nanos) {
    assertThat(CostCalculator.cost(tokens, Price.perMillionUsd(usdPerMillion)))
        .isEqualTo(Money.ofNanos(nanos));
  }

  @Test
  void aRequestOnNovaMicroCostsInputPlusOutput() {
    Money cost = CostCalculator.cost(1000, MICRO_IN, 500, MICRO_OUT);

    assertThat(cost).isEqualTo(Money.ofNanos(35_000 + 70_000));
    assertThat(Fixtures.NOVA_MICRO.cost(TokenUsage.reported(1000, 500))).isEqualTo(cost);
  }

  @Test
  void linesAreSummedExactlyAndRoundedOnce() {
    Price halfNanoPerThousand = Price.perMillionUsd("0.0000005");

    // 1000 tokens at 0.0005 nano-USD each is half a nano-dollar: rounded alone it doubles.
    assertThat(
            CostCalculator.cost(1_000, halfNanoPerThousand)
                .plus(CostCalculator.cost(1_000, halfNanoPerThousand)))
        .isEqualTo(Money.ofNanos(2));
    assertThat(CostCalculator.cost(1_000, halfNanoPerThousand, 1_000, halfNanoPerThousand))
        .isEqualTo(Money.ofNanos(1));
  }

  @Test
  void aBillionTokensAtTheHighestPriceDoNotOverflow() {
    Price max = new Price(Price.MAX_NANOS_PER_MILLION);

    assertThat(CostCalculator.cost(CostCalculator.MAX_TOKENS, PRO_OUT))
        .isEqualTo(Money.ofUsd("3200"));
    assertThat(CostCalculator.cost(CostCalculator.MAX_TOKENS, max, CostCalculator.MAX_TOKENS, max))
        .isEqualTo(Money.ofUsd("20000000"));
  }

  @Test
  void tokenCountsOutOfRangeAreRefused() {
    assertThatThrownBy(() -> CostCalculator.cost(-1, MICRO_IN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CostCalculator.cost(CostCalculator.MAX_TOKENS + 1, MICRO_IN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aFreePriceAffordsTheMaximumAndCostsNothing() {
    assertThat(CostCalculator.affordableTokens(Money.ZERO, new Price(0)))
        .isEqualTo(CostCalculator.MAX_TOKENS);
    assertThat(CostCalculator.cost(123, new Price(0))).isEqualTo(Money.ZERO);
  }

  @Test
  void theDraftingDailyBudgetAffordsThisManyNovaMicroOutputTokens() {
    // $0.017 / 140 nano-USD per token = 121428.57 -> 121428 tokens.
    assertThat(CostCalculator.affordableTokens(Money.ofUsd("0.017"), MICRO_OUT)).isEqualTo(121_428);
  }

  @Property
  void affordableTokensIsTheExactInverseOfCost(
      @ForAll @LongRange(min = 0, max = 1_000_000_000_000L) long budgetNanos,
      @ForAll("prices") Price price) {
    Money budget = Money.ofNanos(budgetNanos);

    long affordable = CostCalculator.affordableTokens(budget, price);

    assertThat(CostCalculator.cost(affordable, price)).isLessThanOrEqualTo(budget);
    if (affordable < CostCalculator.MAX_TOKENS) {
      assertThat(CostCalculator.cost(affordable + 1, price)).isGreaterThan(budget);
    }
  }

  @Property
  void costIsTheCeilingOfTheExactProduct(
      @ForAll @LongRange(min = 0, max = CostCalculator.MAX_TOKENS) long tokens,
      @ForAll("prices") Price price) {
    BigInteger exactTimesMillion =
        BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(price.nanosPerMillionTokens()));
    BigInteger million = BigInteger.valueOf(Price.TOKENS_PER_UNIT);

    BigInteger cost = BigInteger.valueOf(CostCalculator.cost(tokens, price).nanos());

    assertThat(cost.multiply(million)).isGreaterThanOrEqualTo(exactTimesMillion);
    assertThat(cost.subtract(BigInteger.ONE).multiply(million))
        .isLessThan(exactTimesMillion.max(BigInteger.ONE));
  }

  @Property
  void moreTokensNeverCostLess(
      @ForAll @LongRange(min = 0, max = CostCalculator.MAX_TOKENS - 1) long tokens,
      @ForAll("prices") Price price) {
    assertThat(CostCalculator.cost(tokens + 1, price))
        .isGreaterThanOrEqualTo(CostCalculator.cost(tokens, price));
  }

  @Provide
  Arbitrary<Price> prices() {
    Arbitrary<Price> nova =
        Arbitraries.of("0.035", "0.14", "0.06", "0.24", "0.80", "3.20", "0.0000005")
            .map(Price::perMillionUsd);
    Arbitrary<Price> any =
        Arbitraries.longs().between(1, Price.MAX_NANOS_PER_MILLION).map(Price::new);
    return Arbitraries.oneOf(nova, any);
  }

  @Test
  void pricingUsesTheDearestInputPriceForTheWorstCase() {
    Pricing p =
        new Pricing(
            MICRO_IN, MICRO_OUT, Price.perMillionUsd("0.00875"), Price.perMillionUsd("0.05"));

    assertThat(p.worstCase(1, 0)).isEqualTo(Money.ofNanos(50));
  }
}
