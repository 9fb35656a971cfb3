package io.llmgateway.server.ui;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt hashing and checking of the UI password (Bouncy Castle's OpenBSD-compatible bcrypt: reads
 * {@code $2a$}, {@code $2b$} and {@code $2y$}, as Terraform's {@code random_password.bcrypt_hash}
 * and {@code htpasswd -B} write them). Stateless and thread-safe.
 */
public final class Passwords {
  /** Cost 12: about a quarter of a second per check on one core, OWASP's floor is 10. */
  public static final int DEFAULT_COST = 12;

  /** bcrypt truncates at 72 bytes; longer passwords are refused instead of silently cut. */
  public static final int MAX_BYTES = 72;

  private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]\\$\\d\\d\\$[./A-Za-z0-9]{53}$");
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * Checked against when the user name is unknown, one per bcrypt cost: the dummy must have the
   * real hash's cost, or the unknown-name answer is faster and tells the real name apart.
   */
  private static final Map<Integer, String> DUMMIES = new ConcurrentHashMap<>();

  private Passwords() {}

  public static boolean isBcrypt(String hash) {
    return hash != null && BCRYPT.matcher(hash).matches();
  }

  public static String hash(char[] password, int cost) {
    if (password.length == 0) {
      throw new IllegalArgumentException("password must not be empty");
    }
    if (new String(password).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new IllegalArgumentException("password must be at most " + MAX_BYTES + " bytes");
    }
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    return OpenBSDBCrypt.generate("2b", password, salt, cost);
  }

  /** True if {@code password} matches {@code hash}; false for malformed hashes. */
  public static boolean matches(char[] password, String hash) {
    if (!isBcrypt(hash) || password.length == 0) {
      return false;
    }
    if (new String(password).getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      return false;
    }
    try {
      return OpenBSDBCrypt.checkPassword(hash, password);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The cost of a bcrypt hash ({@code $2b$12$...} is 12). */
  static int cost(String hash) {
    if (!isBcrypt(hash)) {
      throw new IllegalArgumentException("not a bcrypt hash");
    }
    return Integer.parseInt(hash.substring(4, 6));
  }

  /** A hash of no password at the cost of {@code like}. */
  static String dummyLike(String like) {
    return DUMMIES.computeIfAbsent(
        cost(like), c -> hash("not-a-password-0123456789".toCharArray(), c));
  }

  /**
   * Spends the time of checking {@code password} against {@code realHash} (same cost) and returns
   * false: for an unknown user name.
   */
  static boolean burn(char[] password, String realHash) {
    matches(password.length == 0 ? new char[] {'x'} : password, dummyLike(realHash));
    return false;
  }
}
