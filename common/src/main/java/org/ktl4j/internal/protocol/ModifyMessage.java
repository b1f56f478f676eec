package org.ktl4j.internal.protocol;

/** What a message on the modify channel decodes to: a {@link ModifyRequest} or a {@link BadRequest}. */
public sealed interface ModifyMessage permits ModifyMessage.Valid, BadRequest {
  /** A well-formed request. */
  record Valid(ModifyRequest request) implements ModifyMessage {}
}
