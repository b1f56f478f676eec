package org.ktl4j.cli;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import org.ktl4j.dispatcher.ServiceSetup;

/**
 * Loads the {@code --setup} class: a public class implementing {@link ServiceSetup} with a public no-argument
 * constructor, found on the classpath. Every way this can go wrong is an {@link IllegalArgumentException} whose
 * message names the class and says what to fix. Stateless.
 */
final class SetupClass {
  private static final String CLASSPATH_HINT = "its jar must be on the classpath: java -cp ktl.jar:your.jar "
      + Main.class.getName() + " dispatcher ..., or KTL_CLASSPATH=your.jar ./ktl dispatcher ...";

  private SetupClass() {}

  /** A new instance of the named setup class. */
  static ServiceSetup instantiate(String className) {
    String name = className.strip();
    Class<?> type;
    try {
      type = Class.forName(name, true, classLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("--setup " + name + ": no such class; " + CLASSPATH_HINT, e);
    } catch (LinkageError e) {
      throw new IllegalArgumentException("--setup " + name + ": the class cannot be loaded (" + e + ")", e);
    }
    if (!ServiceSetup.class.isAssignableFrom(type)) {
      throw new IllegalArgumentException("--setup " + name + ": the class does not implement "
          + ServiceSetup.class.getName());
    }
    if (!Modifier.isPublic(type.getModifiers()) || Modifier.isAbstract(type.getModifiers())) {
      throw new IllegalArgumentException("--setup " + name + ": the class must be public and not abstract");
    }
    Constructor<?> constructor;
    try {
      constructor = type.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException("--setup " + name + ": the class has no public no-argument constructor", e);
    }
    try {
      return (ServiceSetup) constructor.newInstance();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new IllegalArgumentException("--setup " + name + ": its constructor failed: "
          + FailureReporter.message(cause), cause);
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("--setup " + name + ": cannot create an instance: " + e, e);
    }
  }

  private static ClassLoader classLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : SetupClass.class.getClassLoader();
  }
}
