package io.llmgateway.bedrock.stub;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Recomputes an AWS SigV4 header signature from what the stub received, independently of the AWS
 * SDK (JDK crypto only), so a test can tell a correctly signed request from one that merely looks
 * signed. Canonical URI as AWS services other than S3 expect it: the raw path, percent-encoded once
 * more ({@code %3A} becomes {@code %253A}). Stateless and thread-safe.
 */
public final class SigV4Check {
  private static final Pattern AUTH =
      Pattern.compile(
          "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,"
              + " ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})");

  private SigV4Check() {}

  /** The parts of a SigV4 Authorization header. */
  public record Authorization(
      String accessKeyId,
      String date,
      String region,
      String service,
      List<String> signedHeaders,
      String signature) {}

  public static Optional<Authorization> parse(String header) {
    Matcher m = AUTH.matcher(header == null ? "" : header);
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Authorization(
            m.group(1),
            m.group(2),
            m.group(3),
            m.group(4),
            List.of(m.group(5).split(";")),
            m.group(6)));
  }

  /** Empty if the signature is right for {@code secret}, else what is wrong. */
  public static Optional<String> problem(ReceivedRequest r, String secret) {
    Optional<Authorization> parsed = parse(r.header("Authorization").orElse(null));
    if (parsed.isEmpty()) {
      return Optional.of("no SigV4 Authorization header");
    }
    Authorization a = parsed.get();
    Optional<String> amzDate = r.header("x-amz-date");
    if (amzDate.isEmpty() || !amzDate.get().startsWith(a.date())) {
      return Optional.of("x-amz-date missing or not on the credential's date");
    }
    if (!a.signedHeaders().contains("host")) {
      return Optional.of("host is not signed");
    }
    byte[] body = r.body().getBytes(UTF_8);
    String payloadHash = hex(sha256(body));
    Optional<String> declared = r.header("x-amz-content-sha256");
    if (declared.isPresent() && !declared.get().equals(payloadHash)) {
      return Optional.of("x-amz-content-sha256 does not match the body");
    }
    StringBuilder canonical = new StringBuilder();
    canonical.append(r.method()).append('\n');
    canonical.append(encodeAgain(r.path())).append('\n');
    canonical.append('\n'); // no query string
    for (String h : a.signedHeaders()) {
      List<String> values = r.headers().getOrDefault(h, List.of());
      List<String> trimmed = new ArrayList<>();
      values.forEach(v -> trimmed.add(v.trim().replaceAll(" +", " ")));
      canonical.append(h).append(':').append(String.join(",", trimmed)).append('\n');
    }
    canonical.append('\n');
    canonical.append(String.join(";", a.signedHeaders())).append('\n');
    canonical.append(payloadHash);
    String scope = a.date() + "/" + a.region() + "/" + a.service() + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n"
            + amzDate.get()
            + "\n"
            + scope
            + "\n"
            + hex(sha256(canonical.toString().getBytes(UTF_8)));
    byte[] key = hmac(("AWS4" + secret).getBytes(UTF_8), a.date());
    key = hmac(key, a.region());
    key = hmac(key, a.service());
    key = hmac(key, "aws4_request");
    String expected = hex(hmac(key, toSign));
    return expected.equals(a.signature())
        ? Optional.empty()
        : Optional.of("the signature does not match the canonical request");
  }

  /** Percent-encodes everything but unreserved characters and '/' (so '%' becomes %25). */
  static String encodeAgain(String rawPath) {
    StringBuilder sb = new StringBuilder();
    for (byte b : rawPath.getBytes(UTF_8)) {
      int c = b & 0xff;
      if (Character.isLetterOrDigit(c) && c < 128 || "-_.~/".indexOf(c) >= 0) {
        sb.append((char) c);
      } else {
        sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
      }
    }
    return sb.toString();
  }

  private static byte[] sha256(byte[] in) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(in);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
