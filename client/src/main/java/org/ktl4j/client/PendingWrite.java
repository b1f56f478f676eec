package org.ktl4j.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.ktl4j.KtlException;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.internal.protocol.Names;

/** One write waiting for its replies; completed directly by the reply listener (cheap: it only unparks). */
final class PendingWrite {
  final String id;
  final String service;
  final String keyword;
  final String value;
  final CompletableFuture<Void> ack = new CompletableFuture<>();
  final CompletableFuture<WriteResult> done = new CompletableFuture<>();

  PendingWrite(String id, String service, String keyword, String value) {
    this.id = id;
    this.service = service;
    this.keyword = keyword;
    this.value = value;
  }

  String fullName() {
    return service + "." + keyword;
  }

  KtlTimeoutException timeout(String stage, Duration waited) {
    String what = fullName() + " = '" + Names.printable(value) + "'";
    if (stage.equals("ack")) {
      return new KtlTimeoutException("no ack from the dispatcher of service " + service + " for " + what + " within "
          + waited.toMillis() + " ms: the dispatcher is not answering (dead, paused or overloaded)");
    }
    return new KtlTimeoutException("write of " + what + " was acknowledged but not done within " + waited.toMillis()
        + " ms (the dispatcher may still complete it)");
  }

  void fail(RuntimeException e) {
    ack.completeExceptionally(e);
    done.completeExceptionally(e);
  }

  static RuntimeException unwrap(ExecutionException e) {
    Throwable c = e.getCause();
    if (c instanceof RuntimeException r) {
      return r;
    }
    return new KtlException(String.valueOf(c), c);
  }
}
