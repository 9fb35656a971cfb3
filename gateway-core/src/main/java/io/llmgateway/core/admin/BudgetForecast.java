package io.llmgateway.core.admin;

import io.llmgateway.core.money.Money;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Where one budget window is heading at the current burn rate (docs/ADMIN_API.md, "Forecasts"). The
 * burn rate is the window's average so far: what was committed since the window started divided by
 * the time elapsed. So {@code projected = spend × window length / elapsed} (rounded down to the
 * nano-dollar; equal to {@code spend} at the very start of a window), and the budget runs out at
 * {@code start + elapsed × limit / spend} (rounded up to the nanosecond), reported only if that is
 * before the window ends, and as {@code now} when it has already run out. Reserved amounts
 * (requests in flight, budget lease slices) are not spend and do not count. Immutable and
 * thread-safe.
 *
 * @param spend committed in the current period
 * @param limit the limit in force now (a temporary increase included)
 * @param projected spend at the end of the window at the average rate so far
 * @param projectedExhaustionAt when the spend reaches the limit at that rate, if within the window
 */
public record BudgetForecast(
    Money spend, Money limit, Money projected, Optional<Instant> projectedExhaustionAt) {
  public BudgetForecast {
    Objects.requireNonNull(spend, "spend");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(projected, "projected");
    Objects.requireNonNull(projectedExhaustionAt, "projectedExhaustionAt");
  }

  /** The forecast of a window running from {@code start} to {@code end}, read at {@code now}. */
  public static BudgetForecast of(
      Money spend, Money limit, Instant start, Instant end, Instant now) {
    long total = Duration.between(start, end).toNanos();
    long elapsed = Math.clamp(Duration.between(start, now).toNanos(), 0, total);
    Money projected =
        elapsed == 0
            ? spend
            : capped(
                BigInteger.valueOf(spend.nanos())
                    .multiply(BigInteger.valueOf(total))
                    .divide(BigInteger.valueOf(elapsed)));
    Optional<Instant> exhaustion;
    if (spend.compareTo(limit) >= 0 && !spend.isZero()) {
      exhaustion = Optional.of(now);
    } else if (spend.isZero() || elapsed == 0) {
      exhaustion = Optional.empty();
    } else {
      // ceil(elapsed × limit / spend) nanoseconds after the start
      BigInteger[] qr =
          BigInteger.valueOf(elapsed)
              .multiply(BigInteger.valueOf(limit.nanos()))
              .divideAndRemainder(BigInteger.valueOf(spend.nanos()));
      BigInteger after = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
      exhaustion =
          after.compareTo(BigInteger.valueOf(total)) < 0
              ? Optional.of(start.plusNanos(after.longValueExact()))
              : Optional.empty();
    }
    return new BudgetForecast(spend, limit, projected, exhaustion);
  }

  private static Money capped(BigInteger nanos) {
    return nanos.compareTo(BigInteger.valueOf(Money.MAX.nanos())) > 0
        ? Money.MAX
        : Money.ofNanos(nanos.longValueExact());
  }
}
