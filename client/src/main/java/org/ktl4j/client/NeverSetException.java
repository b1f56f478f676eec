package org.ktl4j.client;

import org.ktl4j.KtlException;

/** The keyword has never been set: it has no value (which is not the same as an empty string). */
public class NeverSetException extends KtlException {
  private static final long serialVersionUID = 1L;

  public NeverSetException(String message) {
    super(message);
  }
}
