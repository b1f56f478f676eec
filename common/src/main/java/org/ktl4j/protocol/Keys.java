package org.ktl4j.protocol;

/**
 * The Redis keys and channels of one service (ktl protocol 1, "Keys" and "Channels").
 *
 * <p>Every key and channel of a service carries the hash tag {@code {svc}}, so a whole service lives in one
 * Redis Cluster slot. Instances are immutable and thread-safe; build one per service and reuse it (the
 * per-keyword methods concatenate one string).
 */
public final class Keys {
  /** The set of all service names: {@code ktl:services}. */
  public static final String SERVICES = "ktl:services";

  private final String service;
  private final String prefix;

  private Keys(String service) {
    this.service = service;
    this.prefix = "ktl:{" + service + "}:";
  }

  /** Keys of {@code service} (validated and lowercased). */
  public static Keys of(String service) {
    return new Keys(Names.service(service));
  }

  /** The service name in stored form. */
  public String service() {
    return service;
  }

  /** {@code ktl:{svc}:kw:<KW>}: the hash holding a keyword's current value. {@code keyword} must be in stored form. */
  public String keyword(String keyword) {
    return prefix + "kw:" + keyword;
  }

  /** {@code ktl:{svc}:kw:}: the prefix of every keyword hash. */
  public String keywordPrefix() {
    return prefix + "kw:";
  }

  /**
   * {@code ktl:{svc}:history:<KW>}: the stream of a keyword's last stored values, written by the store script.
   * {@code keyword} must be in stored form.
   */
  public String history(String keyword) {
    return prefix + "history:" + keyword;
  }

  /** {@code ktl:{svc}:keywords}: hash of keyword name to JSON definition. */
  public String definitions() {
    return prefix + "keywords";
  }

  /** {@code ktl:{svc}:dispatcher}: the running dispatcher's lease. */
  public String lease() {
    return prefix + "dispatcher";
  }

  /** {@code ktl:{svc}:modify}: the channel MODIFY requests are published on. */
  public String modifyChannel() {
    return prefix + "modify";
  }

  /**
   * {@code ktl:{svc}:reply:<token>}: the reply channel of one writer.
   *
   * @throws IllegalArgumentException if {@code token} is not a valid reply token ({@link #isReplyToken})
   */
  public String replyChannel(String token) {
    if (!isReplyToken(token)) {
      throw new IllegalArgumentException("invalid reply token '" + Names.printable(token) + "': must be "
          + MIN_REPLY_TOKEN + " to " + MAX_REPLY_TOKEN + " characters of [A-Za-z0-9_-]");
    }
    return prefix + "reply:" + token;
  }

  /** {@code ktl:{svc}:reply:*}: the pattern of every reply channel of the service (for ACL rules). */
  public String replyChannelPattern() {
    return prefix + "reply:*";
  }

  /** Shortest reply-channel token: 16 characters (a writer's token should be random: 128 bits or more). */
  public static final int MIN_REPLY_TOKEN = 16;
  /** Longest reply-channel token: 64 characters. */
  public static final int MAX_REPLY_TOKEN = 64;

  /**
   * True if {@code channel} is a reply channel of this service: {@code ktl:{svc}:reply:} and a token of
   * {@value #MIN_REPLY_TOKEN}–{@value #MAX_REPLY_TOKEN} characters of {@code [A-Za-z0-9_-]}. A dispatcher publishes
   * replies nowhere else (protocol section 4.1). Allocation-free.
   */
  public boolean isReplyChannel(String channel) {
    int start = prefix.length() + 6; // "reply:"
    return channel.length() > start && channel.startsWith(prefix) && channel.startsWith("reply:", prefix.length())
        && isReplyToken(channel, start);
  }

  /** True if {@code token} is a valid reply-channel token. */
  public static boolean isReplyToken(String token) {
    return isReplyToken(token, 0);
  }

  private static boolean isReplyToken(String s, int from) {
    int n = s.length() - from;
    if (n < MIN_REPLY_TOKEN || n > MAX_REPLY_TOKEN) {
      return false;
    }
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  /** {@code __keyspace@<db>__:ktl:{svc}:kw:<KW>}: the keyspace-notification channel of one keyword. */
  public String keyspaceChannel(int db, String keyword) {
    return "__keyspace@" + db + "__:" + keyword(keyword);
  }

  /** {@code __keyspace@<db>__:ktl:{svc}:kw:*}: the service-wide keyspace-notification pattern. */
  public String keyspacePattern(int db) {
    return "__keyspace@" + db + "__:" + prefix + "kw:*";
  }

  /** The keyword name at the end of a keyspace channel or key of this service, or null if it is not one. */
  public String keywordOfChannel(String channel) {
    int i = channel.indexOf(prefix);
    if (i < 0) {
      return null;
    }
    int start = i + prefix.length() + 3;
    if (!channel.startsWith("kw:", i + prefix.length()) || start >= channel.length()) {
      return null;
    }
    return channel.substring(start);
  }

  @Override
  public String toString() {
    return "Keys[" + service + "]";
  }
}
