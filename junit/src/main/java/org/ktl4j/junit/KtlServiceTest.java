package org.ktl4j.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.ktl4j.dispatcher.ServiceSetup;

/**
 * Runs a test class against a real service: before the first test a private {@code redis-server} is started (on a
 * free loopback port, keyspace notifications on, nothing persisted) and the dispatcher of {@link #bundle()} with the
 * behaviour of {@link #setup()} starts on it; test methods and lifecycle methods get, as parameters, a client
 * {@link org.ktl4j.client.Service} of it, the {@link org.ktl4j.dispatcher.DispatcherService} itself (to set values
 * from dispatcher code, as hardware would) and the {@link org.ktl4j.redis.RedisEndpoint}. After the last test
 * everything stops and the server's files are removed. As Cauldron's local backend did for its users, this tests a
 * dispatcher without any server to install.
 *
 * <pre>{@code
 * @KtlServiceTest(service = "lamp", bundle = "lamp/lamp.xml", setup = LampSetup.class)
 * class LampTest {
 *   @Test
 *   void brightnessNeedsPower(Service lamp) {
 *     assertThrows(RefusedException.class, () -> lamp.keyword("BRIGHTNESS").write("40"));
 *   }
 * }
 * }</pre>
 *
 * <p>One server and one dispatcher per test class, shared by its tests (values written by one test are seen by the
 * next; order the tests, or write what a test needs first). Needs a {@code redis-server}: {@code KTL_REDIS_SERVER},
 * else the one in the {@code embedded-redis} dependency.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(KtlServiceExtension.class)
public @interface KtlServiceTest {
  /** The service name. */
  String service();

  /**
   * The KTL XML bundle: a class-path resource (e.g. {@code lamp/lamp.xml}), else a file path (relative to the working
   * directory; an {@code index.xml} loads the bundles it lists).
   */
  String bundle();

  /** The setup classes that attach behaviour, in order; each needs a public no-argument constructor. */
  Class<? extends ServiceSetup>[] setup() default {};
}
