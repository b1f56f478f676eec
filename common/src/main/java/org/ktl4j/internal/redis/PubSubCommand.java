package org.ktl4j.internal.redis;

import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.Protocol;

/**
 * One command for the pub/sub connection, queued by any thread and written by the {@link PubSubWriter}, then kept in
 * the session's in-flight list until the reader has matched every reply to it. Redis answers SUBSCRIBE and UNSUBSCRIBE
 * with one reply per name, in order, or with a single error for the whole command (an ACL refusal), so the reader can
 * tell exactly which topic a reply or an error belongs to.
 *
 * <p>Immutable except {@link #answered}, which only the reader thread touches. Cost: one object and one list.
 */
final class PubSubCommand {
  /** The commands the hub sends, with the reply kind each is answered with. */
  enum Kind {
    SUBSCRIBE(Protocol.Command.SUBSCRIBE, "subscribe"),
    PSUBSCRIBE(Protocol.Command.PSUBSCRIBE, "psubscribe"),
    UNSUBSCRIBE(Protocol.Command.UNSUBSCRIBE, "unsubscribe"),
    PUNSUBSCRIBE(Protocol.Command.PUNSUBSCRIBE, "punsubscribe"),
    SSUBSCRIBE(Protocol.Command.SSUBSCRIBE, "ssubscribe"),
    SUNSUBSCRIBE(Protocol.Command.SUNSUBSCRIBE, "sunsubscribe"),
    PING(Protocol.Command.PING, "pong");

    final Protocol.Command command;
    final String reply;

    Kind(Protocol.Command command, String reply) {
      this.command = command;
      this.reply = reply;
    }
  }

  final Kind kind;
  final List<PubSubTopic> topics;
  /** The PING argument, or null. */
  final String token;
  /** Sent alone, never merged with its neighbours: used to find which name of a refused batch the ACL forbids. */
  final boolean alone;
  /** Replies received so far; reader thread only. */
  int answered;

  private PubSubCommand(Kind kind, List<PubSubTopic> topics, String token, boolean alone) {
    this.kind = kind;
    this.topics = topics;
    this.token = token;
    this.alone = alone;
  }

  /** SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE of {@code topics}, all of {@code kind} (shard channels: all of one slot). */
  static PubSubCommand subscribe(List<PubSubTopic> topics, PubSubTopic.Kind kind) {
    return new PubSubCommand(subscribeKind(kind), List.copyOf(topics), null, false);
  }

  static PubSubCommand subscribeAlone(PubSubTopic topic) {
    return new PubSubCommand(subscribeKind(topic.kind), List.of(topic), null, true);
  }

  static PubSubCommand unsubscribe(PubSubTopic topic) {
    Kind k = switch (topic.kind) {
      case CHANNEL -> Kind.UNSUBSCRIBE;
      case PATTERN -> Kind.PUNSUBSCRIBE;
      case SHARD -> Kind.SUNSUBSCRIBE;
    };
    return new PubSubCommand(k, List.of(topic), null, false);
  }

  private static Kind subscribeKind(PubSubTopic.Kind kind) {
    return switch (kind) {
      case CHANNEL -> Kind.SUBSCRIBE;
      case PATTERN -> Kind.PSUBSCRIBE;
      case SHARD -> Kind.SSUBSCRIBE;
    };
  }

  static PubSubCommand ping(String token) {
    return new PubSubCommand(Kind.PING, List.of(), token, true);
  }

  boolean isPing() {
    return kind == Kind.PING;
  }

  /** How many replies Redis sends when it accepts the command. */
  int expectedReplies() {
    return isPing() ? 1 : topics.size();
  }

  /**
   * Whether {@code next} may be sent in the same command as this one (same kind, both batchable). Shard channels are
   * never merged: Redis refuses an {@code SSUBSCRIBE} of channels of different slots ({@code CROSSSLOT}).
   */
  boolean mergesWith(PubSubCommand next) {
    return !alone && !next.alone && kind == next.kind && kind != Kind.SSUBSCRIBE && kind != Kind.SUNSUBSCRIBE;
  }

  /** This command and {@code more} as one. */
  PubSubCommand merge(List<PubSubCommand> more) {
    List<PubSubTopic> all = new ArrayList<>(topics);
    for (PubSubCommand c : more) {
      all.addAll(c.topics);
    }
    return new PubSubCommand(kind, List.copyOf(all), null, false);
  }

  String[] args() {
    if (isPing()) {
      return token == null ? new String[0] : new String[] {token};
    }
    String[] a = new String[topics.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = topics.get(i).name;
    }
    return a;
  }

  @Override
  public String toString() {
    return kind + (isPing() ? (token == null ? "" : " " + token) : " " + topics.size() + " name(s)");
  }
}
