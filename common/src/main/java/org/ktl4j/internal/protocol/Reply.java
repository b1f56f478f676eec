package org.ktl4j.internal.protocol;

import org.ktl4j.ErrorCode;

/**
 * A message on a writer's reply channel. A dispatcher sends {@link Ack} once a request is valid and accepted,
 * then exactly one {@code done}: {@link Stored} once the value is stored, or {@link Failed} when it is
 * refused or fails (then nothing is stored, and no {@code ack} may have preceded it).
 */
public sealed interface Reply permits Reply.Ack, Reply.Stored, Reply.Failed {
  /** The request id this answers. */
  String id();

  /** The keyword, in stored (uppercase) form where the dispatcher could normalise it. */
  String keyword();

  /** The reply as JSON. */
  default String toJson() {
    return ProtocolJson.encode(this);
  }

  /** {@code {"id","keyword","stage":"ack"}}: valid and accepted; the write is under way. */
  record Ack(String id, String keyword) implements Reply {}

  /** {@code {"id","keyword","stage":"done","ok":true,"ascii","seq"}}: stored, with its canonical form and sequence number. */
  record Stored(String id, String keyword, String ascii, long seq) implements Reply {}

  /** {@code {"id","keyword","stage":"done","ok":false,"code","error"}}: refused or failed; nothing stored. */
  record Failed(String id, String keyword, ErrorCode code, String error) implements Reply {}
}
