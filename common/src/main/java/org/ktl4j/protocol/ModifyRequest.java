package org.ktl4j.protocol;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A MODIFY request, as published on {@code ktl:{svc}:modify}: JSON
 * {@code {"id","keyword","value","reply","client","deadline","ack_deadline"}}.
 *
 * @param id      the writer's request id, echoed in every reply (any non-empty string)
 * @param keyword the keyword name as sent (the dispatcher normalises it)
 * @param value   the value in ascii form
 * @param reply   the channel that receives {@code ack} and {@code done}; empty for fire-and-forget
 * @param client  who is writing (free text, for logs and the stored {@code origin}); may be empty
 * @param deadline when the writer stops waiting, in microseconds since the epoch on the Redis server's clock
 *                 ({@code ts} format on the wire); a dispatcher applies nothing after it. Empty: no deadline
 * @param ackDeadline when the writer stops waiting for the {@code ack} (same clock and format); a dispatcher
 *                 that could not accept the request by then applies nothing and answers {@code EXPIRED}. Empty: none
 */
public record ModifyRequest(String id, String keyword, String value, Optional<String> reply, Optional<String> client,
                            OptionalLong deadline, OptionalLong ackDeadline) {
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

  /** The request as JSON. */
  public String toJson() {
    return ProtocolJson.encode(this);
  }
}
