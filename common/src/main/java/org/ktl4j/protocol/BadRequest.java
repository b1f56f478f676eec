package org.ktl4j.protocol;

import java.util.Optional;

/**
 * A message on the modify channel that is not a valid request, with what could still be read from it so that
 * the writer can be told ({@code BAD_REQUEST}) where it named a reply channel.
 *
 * @param reason  what is wrong
 * @param id      the request id, if one could be read
 * @param keyword the keyword, if one could be read
 * @param reply   the reply channel, if one could be read
 */
public record BadRequest(String reason, Optional<String> id, Optional<String> keyword, Optional<String> reply)
    implements ModifyMessage {}
