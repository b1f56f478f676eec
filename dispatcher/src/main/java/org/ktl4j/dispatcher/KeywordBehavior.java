package org.ktl4j.dispatcher;

/**
 * Java behaviour attached to a keyword, in the spirit of DFW: every hook is optional. A keyword without
 * behaviour is a caching keyword: a valid value is simply stored.
 *
 * <p>Hooks run on the dispatcher's worker threads, never on the Redis reader thread. For one keyword,
 * {@link #write} and {@link #read} run one at a time; {@link #check} runs on arrival, possibly while an
 * earlier write of the same keyword is still running, so it must not depend on that write's outcome.
 * Implementations must be thread-safe in that sense.
 */
public interface KeywordBehavior {
  /**
   * Extra validation of a written value, after type and range checks. Throw to refuse: the writer gets
   * {@code REJECTED} with the exception's message. Must be quick (it delays the {@code ack}).
   */
  default void check(NewValue value) throws Exception {}

  /**
   * Drives the hardware; may block. Return normally and the value is stored and broadcast; throw and the
   * writer gets {@code WRITE_FAILED} with the exception's message, and nothing is stored.
   */
  default void write(NewValue value) throws Exception {}

  /**
   * Produces a fresh value (reads the hardware), for periodic and explicit updates. Return an ascii
   * {@code String} or a binary value (as for {@link DispatcherKeyword#setBinary}); return null for "no new
   * value". Stored only when it differs from the current value.
   */
  default Object read() throws Exception {
    return null;
  }

  /** Whether {@link #write} does anything; keywords without a write hook store on the fast path. */
  default boolean hasWrite() {
    return true;
  }

  /** A check-only behaviour. */
  static KeywordBehavior checking(Hook check) {
    return new KeywordBehavior() {
      @Override
      public void check(NewValue value) throws Exception {
        check.run(value);
      }

      @Override
      public boolean hasWrite() {
        return false;
      }
    };
  }

  /** A hook that receives a value; may throw to refuse or fail. */
  @FunctionalInterface
  interface Hook {
    void run(NewValue value) throws Exception;
  }

  /** A hook that produces a value. */
  @FunctionalInterface
  interface Reader {
    Object read() throws Exception;
  }
}
