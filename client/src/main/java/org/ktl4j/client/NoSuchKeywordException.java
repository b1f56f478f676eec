package org.ktl4j.client;

import org.ktl4j.KtlException;

/** The service has no keyword of that name; the message lists the keywords it has. */
public class NoSuchKeywordException extends KtlException {
  private static final long serialVersionUID = 1L;

  public NoSuchKeywordException(String message) {
    super(message);
  }
}
