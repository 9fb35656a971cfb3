package io.llmgateway.postgres;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach PostgreSQL: a JDBC URL without credentials, the credentials, and the pool size.
 * {@link #toString()} never prints the password. Immutable and thread-safe.
 */
public record DatabaseConfig(String jdbcUrl, String username, String password, int poolSize) {

  public static final int DEFAULT_POOL_SIZE = 5;

  public DatabaseConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://...)");
    }
    username = username == null ? "" : username;
    password = password == null ? "" : password;
    if (poolSize < 1 || poolSize > 1000) {
      throw new IllegalArgumentException("pool size must be between 1 and 1000");
    }
  }

  /**
   * Parses {@code DATABASE_URL}: libpq form {@code postgresql://user:pass@host:5432/db?sslmode=x}
   * (also {@code postgres://}, as RDS and LiteLLM users have it) or a JDBC URL {@code
   * jdbc:postgresql://host/db?user=u&password=p}. Credentials are taken out of the URL.
   */
  public static DatabaseConfig fromUrl(String databaseUrl, int poolSize) {
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    String url = databaseUrl.trim();
    if (url.startsWith("jdbc:postgresql:")) {
      return fromJdbc(url, poolSize);
    }
    if (url.startsWith("postgresql://") || url.startsWith("postgres://")) {
      return fromLibpq(url, poolSize);
    }
    throw new IllegalArgumentException(
        "DATABASE_URL must start with postgresql://, postgres:// or jdbc:postgresql://");
  }

  private static DatabaseConfig fromLibpq(String url, int poolSize) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      // The message of URISyntaxException quotes the input, which holds the password.
      throw new IllegalArgumentException("DATABASE_URL is not a valid URL");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("DATABASE_URL has no host");
    }
    String user = "";
    String pass = "";
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      pass = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
    }
    Map<String, String> params = query(uri.getRawQuery());
    if (params.containsKey("user")) {
      user = params.remove("user");
    }
    if (params.containsKey("password")) {
      pass = params.remove("password");
    }
    StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(uri.getHost());
    if (uri.getPort() > 0) {
      jdbc.append(':').append(uri.getPort());
    }
    String path = uri.getRawPath();
    jdbc.append(path == null || path.isEmpty() ? "/" : path);
    appendQuery(jdbc, params);
    return new DatabaseConfig(jdbc.toString(), user, pass, poolSize);
  }

  private static DatabaseConfig fromJdbc(String url, int poolSize) {
    int q = url.indexOf('?');
    if (q < 0) {
      return new DatabaseConfig(url, "", "", poolSize);
    }
    Map<String, String> params = query(url.substring(q + 1));
    String user = params.containsKey("user") ? params.remove("user") : "";
    String pass = params.containsKey("password") ? params.remove("password") : "";
    StringBuilder jdbc = new StringBuilder(url.substring(0, q));
    appendQuery(jdbc, params);
    return new DatabaseConfig(jdbc.toString(), user, pass, poolSize);
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String k = decode(eq < 0 ? pair : pair.substring(0, eq));
      String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
      params.put(k, v);
    }
    return params;
  }

  private static void appendQuery(StringBuilder jdbc, Map<String, String> params) {
    List<String> parts = new ArrayList<>();
    params.forEach(
        (k, v) ->
            parts.add(
                java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)
                    + "="
                    + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
    if (!parts.isEmpty()) {
      jdbc.append('?').append(String.join("&", parts));
    }
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public DatabaseConfig withPoolSize(int size) {
    return new DatabaseConfig(jdbcUrl, username, password, size);
  }

  @Override
  public String toString() {
    return "DatabaseConfig[jdbcUrl="
        + jdbcUrl
        + ", username="
        + username
        + ", password="
        + (password.isEmpty() ? "(none)" : "****")
        + ", poolSize="
        + poolSize
        + "]";
  }
}
