package org.ktl4j.cli;

import org.ktl4j.KtlTimeoutException;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KtlXmlException;
import picocli.CommandLine.ParameterException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The exit codes of {@code ktl}, the same for every subcommand, and which failure maps to which. Scripts rely
 * on them: 2 means the dispatcher answered and said no, 3 that an answer did not come in time, 4 that there was
 * nobody to ask. Stateless.
 */
final class ExitCodes {
  /** Success. */
  static final int OK = 0;
  /** Bad arguments or bad configuration (bundle, setup class, URL); also unexpected failures. */
  static final int USAGE = 1;
  /**
   * {@code ktl show --terse}: a keyword shown was never set. Its line is empty, as for a value that is the empty
   * string; this exit code and a note on stderr tell the two apart (as {@code printenv} and {@code git config} do
   * for a variable that is not set). The same number as {@link #USAGE}.
   */
  static final int NOT_SET = USAGE;
  /** The dispatcher refused the request ({@link RefusedException}). */
  static final int REFUSED = 2;
  /** An answer did not arrive in time ({@link KtlTimeoutException}). */
  static final int TIMEOUT = 3;
  /** No dispatcher, or no connection to Redis ({@link UnavailableException}). */
  static final int UNAVAILABLE = 4;

  /** The {@code exitCodeList} of every command's help (picocli {@code "key:description"} form). */
  static final String LIST_OK = OK + ":ok";
  static final String LIST_USAGE = USAGE + ":usage: bad arguments or bad configuration (bundle, setup class, URL)";
  static final String LIST_REFUSED = REFUSED + ":refused by the dispatcher";
  static final String LIST_TIMEOUT = TIMEOUT + ":timeout: no answer in time";
  static final String LIST_UNAVAILABLE = UNAVAILABLE + ":no dispatcher, or no connection to Redis";

  private ExitCodes() {}

  /** The exit code for a failure. */
  static int of(Throwable failure) {
    if (failure instanceof RefusedException) {
      return REFUSED;
    }
    if (failure instanceof KtlTimeoutException) {
      return TIMEOUT;
    }
    if (failure instanceof UnavailableException || failure instanceof JedisConnectionException) {
      return UNAVAILABLE;
    }
    // ParameterException, IllegalArgumentException, KtlXmlException and anything unexpected
    return USAGE;
  }

  /** Whether a failure is one the user caused and can fix from its message alone (no stack trace needed). */
  static boolean isExpected(Throwable failure) {
    return failure instanceof org.ktl4j.KtlException || failure instanceof ParameterException
        || failure instanceof IllegalArgumentException || failure instanceof KtlXmlException
        || failure instanceof JedisConnectionException;
  }
}
