package org.ktl4j.protocol;

import java.util.Objects;
import java.util.Optional;

/**
 * A MODIFY request, as published on {@code ktl:{svc}:modify}: JSON
 * {@code {"id","keyword","value","reply","client"}}.
 *
 * @param id      the writer's request id, echoed in every reply (any non-empty string)
 * @param keyword the keyword name as sent (the dispatcher normalises it)
 * @param value   the value in ascii form
 * @param reply   the channel that receives {@code ack} and {@code done}; empty for fire-and-forget
 * @param client  who is writing (free text, for logs and the stored {@code origin}); may be empty
 */
public record ModifyRequest(String id, String keyword, String value, Optional<String> reply, Optional<String> client) {
  public ModifyRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(keyword, "keyword");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(reply, "reply");
    Objects.requireNonNull(client, "client");
  }

  /** The request as JSON. */
  public String toJson() {
    return ProtocolJson.encode(this);
  }
}
