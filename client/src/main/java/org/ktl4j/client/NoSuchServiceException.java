package org.ktl4j.client;

import org.ktl4j.KtlException;

/** No service of that name is known to Redis; the message lists the services that are. */
public class NoSuchServiceException extends KtlException {
  private static final long serialVersionUID = 1L;

  public NoSuchServiceException(String message) {
    super(message);
  }
}
