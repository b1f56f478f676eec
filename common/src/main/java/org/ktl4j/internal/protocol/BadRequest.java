package org.ktl4j.internal.protocol;

import java.util.Optional;

/**
 * A message on the modify channel that is not a valid request, with what could still be read from it so that
 * the writer can be told ({@code BAD_REQUEST}) where it named a valid reply channel of the service.
 *
 * @param reason  what is wrong (escaped: it may quote the sender's text)
 * @param id      the request id, if one could be read and is valid
 * @param keyword the keyword, if one could be read and is a name
 * @param reply   the reply channel, if it is a valid reply channel of the service (protocol section 4.1)
 * @param problem what kind of problem it is, for the dispatcher's log
 */
public record BadRequest(String reason, Optional<String> id, Optional<String> keyword, Optional<String> reply,
                         Problem problem) implements ModifyMessage {

  /** What kind of bad message this is. */
  public enum Problem {
    /** Not well-formed JSON, or not an object: none of its fields can be trusted. */
    MALFORMED,
    /** Well-formed, but its {@code reply} is not a reply channel of the service (or given twice, or not a string). */
    BAD_REPLY,
    /** Well-formed with a usable or absent {@code reply}, but another field is missing or wrong. */
    BAD_FIELD
  }

  /** A message that is not well-formed: nothing could be read from it. */
  static BadRequest malformed(String reason) {
    return new BadRequest(reason, Optional.empty(), Optional.empty(), Optional.empty(), Problem.MALFORMED);
  }
}
