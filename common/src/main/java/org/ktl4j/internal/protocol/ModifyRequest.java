package org.ktl4j.internal.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A MODIFY request, as published on {@code ktl:{svc}:modify}: JSON
 * {@code {"id","keyword","value","reply","client","deadline","ack_deadline"}}.
 *
 * <p>Every field arriving over Redis is hostile until checked: {@link ProtocolJson#decodeModify} applies the limits
 * below (ktl protocol 1, section 4.1) before anything is done with a request.
 *
 * @param id      the writer's request id, echoed in every reply: 1–{@value #MAX_ID_LENGTH} characters of
 *                {@code [A-Za-z0-9._:-]}

 * @param keyword the keyword name as sent (the dispatcher normalises it)
 * @param value   the value in ascii form
 * @param reply   the channel that receives {@code ack} and {@code done}; empty for fire-and-forget
 * @param client  who is writing (free text, for logs and the stored {@code origin}): at most
 *                {@value #MAX_CLIENT_LENGTH} characters, no control characters; may be empty
 * @param deadline when the writer stops waiting, in microseconds since the epoch on the Redis server's clock
 *                 ({@code ts} format on the wire); a dispatcher applies nothing after it. Empty: no deadline
 * @param ackDeadline when the writer stops waiting for the {@code ack} (same clock and format); a dispatcher
 *                 that could not accept the request by then applies nothing and answers {@code EXPIRED}. Empty: none
 */
public record ModifyRequest(String id, String keyword, String value, Optional<String> reply, Optional<String> client,
                            OptionalLong deadline, OptionalLong ackDeadline) {
  /**
   * The largest MODIFY message a dispatcher reads, in bytes as received (1 MiB). A longer one is discarded unread:
   * none of its fields can be trusted, so it is not answered (the Java client refuses to send one).
   */
  public static final int MAX_MESSAGE_BYTES = 1 << 20;
  /** The {@code origin} stored for a request that gave no {@code client}. */
  public static final String ANONYMOUS = "anonymous";
  /** Longest request id, in characters. */
  public static final int MAX_ID_LENGTH = 64;
  /** Longest {@code client} text, in characters. */
  public static final int MAX_CLIENT_LENGTH = 128;

  public ModifyRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(ackDeadline, "ackDeadline");
  }

  /** A request with a deadline and no separate ack deadline. */
  public ModifyRequest(String id, String keyword, String value, Optional<String> reply, Optional<String> client,
      OptionalLong deadline) {
    this(id, keyword, value, reply, client, deadline, OptionalLong.empty());
  }

  /**
   * The earliest of the two deadlines: the request must be accepted (and, for a keyword stored together with its
   * {@code ack}, stored) by then. Empty if it has neither.
   */
  public OptionalLong acceptBy() {
    if (ackDeadline.isEmpty()) {
      return deadline;
    }
    return deadline.isEmpty() ? ackDeadline : OptionalLong.of(Math.min(deadline.getAsLong(), ackDeadline.getAsLong()));
  }

  /** A request without a deadline. */
  public ModifyRequest(String id, String keyword, String value, Optional<String> reply, Optional<String> client) {
    this(id, keyword, value, reply, client, OptionalLong.empty(), OptionalLong.empty());
  }

  /** Why {@code id} is not a valid request id, or null if it is. */
  public static String idProblem(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_ID_LENGTH) {
      return "field 'id' must be 1 to " + MAX_ID_LENGTH + " characters, got " + n;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
          || c == ':' || c == '-')) {
        return "field 'id' must consist of [A-Za-z0-9._:-], got '" + Names.printable(id) + "'";
      }
    }
    return null;
  }

  /** Why {@code client} is not a valid client text, or null if it is. */
  public static String clientProblem(String client) {
    // characters are code points, as a peer in another language counts them (an emoji is one, not two)
    int n = client.length() <= MAX_CLIENT_LENGTH ? client.length() : client.codePointCount(0, client.length());
    if (n > MAX_CLIENT_LENGTH) {
      return "field 'client' must be at most " + MAX_CLIENT_LENGTH + " characters, got " + n;
    }
    for (int i = 0; i < n; i++) {
      if (Names.isControl(client.charAt(i))) {
        return "field 'client' must not contain control characters, got '" + Names.printable(client) + "'";
      }
    }
    return null;
  }

  /** The request as JSON. */
  public String toJson() {
    return ProtocolJson.encode(this);
  }
}
