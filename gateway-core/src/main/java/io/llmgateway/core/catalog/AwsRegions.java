package io.llmgateway.core.catalog;

import java.util.regex.Pattern;

/**
 * The AWS region grammar: a two-letter area, an optional partition tag ({@code gov}, {@code iso},
 * {@code isob}, {@code isoe}, {@code isof}), a direction and a number ({@code us-east-1}, {@code
 * us-gov-west-1}, {@code eu-central-2}, {@code ap-southeast-4}, {@code cn-north-1}). A region
 * becomes part of a host name ({@code bedrock-runtime.<region>.amazonaws.com}), so anything else is
 * refused: {@code x@169.254.169.254#} once made the metadata service the upstream host (issue 15,
 * finding 2). ASCII only, by construction of the pattern. Stateless and thread-safe.
 */
public final class AwsRegions {
  /** The region of a Bedrock deployment that names none. */
  public static final String DEFAULT = "us-east-1";

  /** What a refusal says a region must be. */
  public static final String RULE = "an AWS region such as us-east-1, us-gov-west-1 or cn-north-1";

  private static final Pattern REGION =
      Pattern.compile(
          "[a-z]{2}(?:-(?:gov|iso|isob|isoe|isof))?"
              + "-(?:north|south|east|west|central|northeast|northwest|southeast|southwest)"
              + "-[1-9][0-9]?");

  private AwsRegions() {}

  public static boolean isValid(String region) {
    return region != null && region.length() <= 32 && REGION.matcher(region).matches();
  }
}
