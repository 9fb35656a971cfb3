package io.llmgateway.server.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Who sent a request, and whether it came over TLS, believing {@code X-Forwarded-For} and {@code
 * X-Forwarded-Proto} only when the socket's peer is a configured trusted proxy ({@code
 * GATEWAY_TRUSTED_PROXIES}, e.g. the ALB's subnets). Anyone else can write those headers, so a
 * direct caller's address is its socket peer and its scheme is the socket's. Used by every
 * per-address limit (failed API keys, UI sign-in). Immutable and thread-safe; never resolves names.
 */
public final class ClientAddress {
  /** Literal IPv4 or IPv6 text only: anything else would make InetAddress do a DNS lookup. */
  private static final Pattern LITERAL = Pattern.compile("[0-9.]{7,15}|[0-9A-Fa-f:.]{2,45}");

  private final List<Cidr> trusted;

  /** {@code cidrs}: {@code 10.0.0.0/16}, {@code 2600:1f18::/56} or single addresses. */
  public ClientAddress(List<String> cidrs) {
    List<Cidr> list = new ArrayList<>();
    for (String c : cidrs) {
      list.add(Cidr.parse(c.trim()));
    }
    this.trusted = List.copyOf(list);
  }

  /**
   * The client's address: the socket peer; if that is a trusted proxy, the right-most {@code
   * X-Forwarded-For} entry that is not itself a trusted proxy (entries further left were written by
   * the client and prove nothing).
   */
  public String of(Context ctx) {
    return resolve(ctx.req().getRemoteAddr(), forwardedFor(ctx));
  }

  /** {@link #of} given the socket peer and the {@code X-Forwarded-For} entries, in order. */
  String resolve(String socketPeer, List<String> hops) {
    String peer = strip(socketPeer);
    if (!isTrusted(peer)) {
      return peer;
    }
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (!isTrusted(hop)) {
        return parse(hop) == null ? peer : hop;
      }
    }
    return hops.isEmpty() ? peer : hops.get(0);
  }

  /** True if the client used TLS: to this server, or to a trusted proxy that says so. */
  public boolean secure(Context ctx) {
    if (ctx.req().isSecure()) {
      return true;
    }
    String proto = ctx.header("X-Forwarded-Proto");
    if (proto == null || !isTrusted(strip(ctx.req().getRemoteAddr()))) {
      return false;
    }
    String[] parts = proto.split(",");
    return parts[parts.length - 1].trim().toLowerCase(Locale.ROOT).equals("https");
  }

  private static List<String> forwardedFor(Context ctx) {
    List<String> hops = new ArrayList<>();
    java.util.Enumeration<String> headers = ctx.req().getHeaders("X-Forwarded-For");
    while (headers != null && headers.hasMoreElements()) {
      for (String part : headers.nextElement().split(",")) {
        String p = strip(part.trim());
        if (!p.isEmpty()) {
          hops.add(p);
        }
      }
    }
    return hops;
  }

  private boolean isTrusted(String address) {
    if (trusted.isEmpty()) {
      return false;
    }
    byte[] a = parse(address);
    if (a == null) {
      return false;
    }
    for (Cidr c : trusted) {
      if (c.contains(a)) {
        return true;
      }
    }
    return false;
  }

  private static String strip(String s) {
    if (s == null) {
      return "";
    }
    return s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
  }

  /** The address's bytes, or null if it is not an IP literal. */
  static byte[] parse(String s) {
    if (s == null || !LITERAL.matcher(s).matches() || (s.indexOf(':') < 0 && s.indexOf('.') < 0)) {
      return null;
    }
    try {
      return InetAddress.getByName(s).getAddress();
    } catch (UnknownHostException | SecurityException e) {
      return null;
    }
  }

  /** An address range: network bytes and prefix length. */
  private record Cidr(byte[] network, int prefix) {
    static Cidr parse(String text) {
      int slash = text.indexOf('/');
      String addr = slash < 0 ? text : text.substring(0, slash);
      byte[] bytes = ClientAddress.parse(addr);
      if (bytes == null) {
        throw new IllegalArgumentException("not an IP address or CIDR: '" + text + "'");
      }
      int max = bytes.length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? max : Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      if (prefix < 0 || prefix > max) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      return new Cidr(bytes, prefix);
    }

    boolean contains(byte[] a) {
      if (a.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (a[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xFF << (8 - rest)) & 0xFF;
      return (a[full] & mask) == (network[full] & mask);
    }
  }
}
