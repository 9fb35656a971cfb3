package io.llmgateway.server.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address of the client a request came from, for per-address limits. {@code X-Forwarded-For} is
 * believed only as far as it was written by trusted proxies ({@code GATEWAY_TRUSTED_PROXIES}, e.g.
 * the ALB's subnets): starting at the socket's peer, each hop that is a trusted proxy hands over to
 * the entry it appended (read right to left); the first untrusted hop is the client. A client that
 * is not behind a trusted proxy is its socket address, whatever it claims. Stateless.
 */
public final class ClientAddress {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

  private ClientAddress() {}

  /**
   * A network in CIDR notation ({@code 10.0.0.0/16}, {@code fd00::/8}; a bare address is /32 or
   * /128).
   */
  public record Cidr(InetAddress network, int prefix) {
    public Cidr {
      int bits = network.getAddress().length * 8;
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("CIDR prefix must be 0 to " + bits);
      }
    }

    public static Cidr parse(String text) {
      String t = text.trim();
      int slash = t.indexOf('/');
      InetAddress net =
          literal(slash < 0 ? t : t.substring(0, slash))
              .orElseThrow(() -> new IllegalArgumentException("not an IP network: " + text));
      int bits = net.getAddress().length * 8;
      try {
        return new Cidr(net, slash < 0 ? bits : Integer.parseInt(t.substring(slash + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("not an IP network: " + text);
      }
    }

    public boolean contains(InetAddress a) {
      byte[] n = network.getAddress();
      byte[] x = a.getAddress();
      if (n.length != x.length) {
        return false;
      }
      for (int bit = 0; bit < prefix; bit++) {
        int mask = 0x80 >> (bit % 8);
        if ((n[bit / 8] & mask) != (x[bit / 8] & mask)) {
          return false;
        }
      }
      return true;
    }

    @Override
    public String toString() {
      return network.getHostAddress() + "/" + prefix;
    }
  }

  /** A comma-separated list of CIDRs (blank: none). */
  public static List<Cidr> parseList(String csv) {
    List<Cidr> out = new ArrayList<>();
    if (csv != null) {
      for (String part : csv.split(",")) {
        if (!part.isBlank()) {
          out.add(Cidr.parse(part));
        }
      }
    }
    return List.copyOf(out);
  }

  /** This request's client address. */
  public static String of(Context ctx, List<Cidr> trusted) {
    return resolve(ctx.ip(), ctx.header("X-Forwarded-For"), trusted);
  }

  /** The client address given the socket peer and the forwarded-for header (null: none). */
  static String resolve(String peer, String forwardedFor, List<Cidr> trusted) {
    String client = strip(peer);
    if (forwardedFor == null || trusted.isEmpty()) {
      return client;
    }
    String[] hops = forwardedFor.split(",");
    for (int i = hops.length - 1; i >= 0; i--) {
      if (!isTrusted(client, trusted)) {
        return client;
      }
      String hop = strip(hops[i]);
      if (hop.isEmpty()) {
        return client;
      }
      client = hop;
    }
    return client;
  }

  private static boolean isTrusted(String address, List<Cidr> trusted) {
    Optional<InetAddress> a = literal(address);
    return a.isPresent() && trusted.stream().anyMatch(c -> c.contains(a.get()));
  }

  private static String strip(String s) {
    String t = s == null ? "" : s.trim();
    if (t.startsWith("[") && t.endsWith("]")) {
      t = t.substring(1, t.length() - 1);
    }
    return t.toLowerCase(Locale.ROOT);
  }

  /** Parses an IP literal only: never a host name (no DNS lookup can be triggered). */
  static Optional<InetAddress> literal(String s) {
    String t = strip(s);
    boolean v4 = IPV4.matcher(t).matches();
    if (v4 && java.util.Arrays.stream(t.split("\\.")).anyMatch(o -> Integer.parseInt(o) > 255)) {
      return Optional.empty();
    }
    if (!v4 && !IPV6.matcher(t).matches()) {
      return Optional.empty();
    }
    try {
      return Optional.of(InetAddress.getByName(t));
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }
}
