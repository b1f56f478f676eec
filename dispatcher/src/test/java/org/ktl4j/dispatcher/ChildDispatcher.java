package org.ktl4j.dispatcher;

import java.time.Duration;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;
import org.ktl4j.type.KtlType;

/** A dispatcher in its own JVM, for tests that kill -9 it. Args: redis URL, service. Prints READY when serving. */
public final class ChildDispatcher {
  private ChildDispatcher() {}

  public static void main(String[] args) throws Exception {
    RedisEndpoint endpoint = RedisEndpoint.open(RedisSettings.fromUri(args[0]));
    DispatcherService d = DispatcherService.builder(args[1])
        .keyword(KeywordDefinition.builder("COUNTER", KtlType.INTEGER).build())
        .config(DispatcherConfig.builder().leaseTtl(Duration.ofSeconds(1)).build())
        .endpoint(endpoint).build();
    d.start();
    System.out.println("READY");
    System.out.flush();
    d.awaitStopped(Duration.ofHours(1));
  }
}
