package org.ktl4j.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.ktl4j.KtlException;
import org.ktl4j.KtlTimeoutException;

/**
 * An asynchronous write under way: its {@code ack} and {@code done} stages as futures. Dependent stages run on
 * the client's callback executor, never on the Redis reader thread. A refusal completes both futures
 * exceptionally with a {@link org.ktl4j.RefusedException}; a missing stage with a
 * {@link KtlTimeoutException}; a lost connection with an {@link org.ktl4j.UnavailableException}.
 * Thread-safe.
 */
public final class WriteHandle {
  private final PendingWrite pending;
  private final CompletableFuture<Void> ack;
  private final CompletableFuture<WriteResult> done;

  WriteHandle(PendingWrite pending, java.util.concurrent.Executor callbacks) {
    this.pending = pending;
    this.ack = pending.ack.whenCompleteAsync((v, e) -> { }, callbacks);
    this.done = pending.done.whenCompleteAsync((v, e) -> { }, callbacks);
  }

  /** The request id. */
  public String id() {
    return pending.id;
  }

  /** {@code service.KEYWORD}. */
  public String keyword() {
    return pending.fullName();
  }

  /** Completes when the dispatcher accepted the request. */
  public CompletableFuture<Void> ack() {
    return ack;
  }

  /** Completes when the value is stored, with the stored canonical value and its {@code seq}. */
  public CompletableFuture<WriteResult> done() {
    return done;
  }

  /**
   * Waits for {@code done}.
   *
   * @throws org.ktl4j.RefusedException if refused, {@link KtlTimeoutException} if a stage was missing
   */
  public WriteResult await(Duration timeout) {
    try {
      return pending.done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw pending.timeout(pending.ack.isDone() ? "done" : "ack", timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KtlException("interrupted while waiting for " + pending.fullName());
    } catch (ExecutionException e) {
      throw PendingWrite.unwrap(e);
    }
  }
}
