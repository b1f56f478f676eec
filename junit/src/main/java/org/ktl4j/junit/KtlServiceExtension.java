package org.ktl4j.junit;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.ktl4j.client.Service;
import org.ktl4j.definition.Bundle;
import org.ktl4j.definition.KtlXmlBundle;
import org.ktl4j.definition.KtlXmlException;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.dispatcher.ServiceSetup;
import org.ktl4j.embedded.EmbeddedRedis;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.redis.RedisSettings;

/**
 * The JUnit 5 extension behind {@link KtlServiceTest}: starts the server and the dispatcher once per test class (in
 * the class's store, so JUnit closes them after its last test, even when a test fails) and resolves parameters of
 * type {@link Service}, {@link DispatcherService} and {@link RedisEndpoint}. Thread-safe as JUnit uses it. Cost: one
 * {@code redis-server} process (a few MB) and one dispatcher per test class.
 */
public final class KtlServiceExtension implements BeforeAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KtlServiceExtension.class);

  /** What one test class runs against; closed by JUnit after the class, in reverse order of start. */
  private static final class Running implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final EmbeddedRedis redis;
    final RedisEndpoint endpoint;
    final DispatcherService dispatcher;
    final Service client;

    Running(EmbeddedRedis redis, RedisEndpoint endpoint, DispatcherService dispatcher, Service client) {
      this.redis = redis;
      this.endpoint = endpoint;
      this.dispatcher = dispatcher;
      this.client = client;
    }

    @Override
    public void close() {
      client.close();
      dispatcher.close();
      endpoint.close();
      redis.close();
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    running(context);
  }

  private Running running(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    ExtensionContext classContext = context;
    while (classContext.getTestClass().isPresent() && classContext.getTestMethod().isPresent()) {
      classContext = classContext.getParent().orElseThrow();
    }
    return classContext.getStore(NAMESPACE).getOrComputeIfAbsent(testClass, c -> start(testClass), Running.class);
  }

  private static Running start(Class<?> testClass) {
    KtlServiceTest spec = findSpec(testClass);
    Bundle bundle = bundle(testClass, spec.bundle());
    EmbeddedRedis redis = EmbeddedRedis.builder().name("ktl-test-" + spec.service()).notifyKeyspaceEvents("Kgh")
        .start();
    RedisEndpoint endpoint = null;
    DispatcherService dispatcher = null;
    try {
      endpoint = RedisEndpoint.open(RedisSettings.fromUri(redis.url()));
      DispatcherService.Builder b = DispatcherService.builder(spec.service()).bundle(bundle).endpoint(endpoint);
      for (Class<? extends ServiceSetup> setup : spec.setup()) {
        b.setup(instantiate(setup));
      }
      dispatcher = b.build();
      dispatcher.start();
      return new Running(redis, endpoint, dispatcher, Service.open(spec.service(), endpoint));
    } catch (RuntimeException e) {
      if (dispatcher != null) {
        dispatcher.close();
      }
      if (endpoint != null) {
        endpoint.close();
      }
      redis.close();
      throw e;
    }
  }

  private static KtlServiceTest findSpec(Class<?> testClass) {
    for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
      KtlServiceTest spec = c.getAnnotation(KtlServiceTest.class);
      if (spec != null) {
        return spec;
      }
    }
    throw new ExtensionConfigurationException(testClass.getName() + " uses KtlServiceExtension without "
        + "@KtlServiceTest(service = …, bundle = …)");
  }

  private static Bundle bundle(Class<?> testClass, String name) {
    try {
      String resource = name.startsWith("/") ? name.substring(1) : name;
      InputStream in = testClass.getClassLoader().getResourceAsStream(resource);
      if (in != null) {
        try (in) {
          return KtlXmlBundle.load(in, name);
        }
      }
      Path file = Path.of(name);
      if (Files.isRegularFile(file)) {
        return KtlXmlBundle.load(file);
      }
      throw new ExtensionConfigurationException("@KtlServiceTest on " + testClass.getName() + ": bundle '" + name
          + "' is neither a class-path resource nor a file (working directory " + Path.of("").toAbsolutePath() + ")");
    } catch (IOException | KtlXmlException e) {
      throw new ExtensionConfigurationException("@KtlServiceTest on " + testClass.getName() + ": cannot load the "
          + "bundle '" + name + "': " + e.getMessage(), e);
    }
  }

  private static ServiceSetup instantiate(Class<? extends ServiceSetup> setup) {
    try {
      return setup.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new ExtensionConfigurationException("setup class " + setup.getName() + " needs a public no-argument "
          + "constructor: " + e, e);
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == Service.class || type == DispatcherService.class || type == RedisEndpoint.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Running r = running(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == Service.class) {
      return r.client;
    }
    return type == DispatcherService.class ? r.dispatcher : r.endpoint;
  }
}
