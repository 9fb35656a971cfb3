package io.llmgateway.cli.db;

import java.util.regex.Pattern;

/** Removes passwords from database URLs before they are shown. Stateless. */
public final class Redaction {
  // user:password@ in libpq URLs, password=... in JDBC/libpq query strings.
  private static final Pattern USER_INFO = Pattern.compile("(://[^:/@]*):[^@/]*@");
  private static final Pattern PASSWORD_PARAM = Pattern.compile("(?i)([?&;]password=)[^&;]*");

  private Redaction() {}

  public static String url(String url) {
    String s = USER_INFO.matcher(url).replaceAll("$1:****@");
    return PASSWORD_PARAM.matcher(s).replaceAll("$1****");
  }
}
