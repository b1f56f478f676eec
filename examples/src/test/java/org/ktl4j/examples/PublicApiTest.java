package org.ktl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API fits on a screen and holds no plumbing: the public types of {@code common}'s supported packages are
 * exactly the listed ones; no public or protected member of a supported package names a Jedis, commons-pool or
 * {@code org.ktl4j.internal} type; and the examples (whose regions are the guide's snippets) import none of those.
 */
class PublicApiTest {
  /** Packages users depend on; everything else ({@code org.ktl4j.internal.*}) is unsupported plumbing. */
  private static final List<String> SUPPORTED = List.of("org.ktl4j", "org.ktl4j.type", "org.ktl4j.definition",
      "org.ktl4j.redis", "org.ktl4j.client", "org.ktl4j.dispatcher");
  private static final List<String> FORBIDDEN = List.of("redis.clients.", "org.apache.commons.pool2.",
      "org.ktl4j.internal.");

  @Test
  void commonsPublicTypesAreTheModelTheExceptionsAndTheConnectionSettings() throws Exception {
    TreeSet<String> common = new TreeSet<>();
    for (String p : List.of("org.ktl4j", "org.ktl4j.type", "org.ktl4j.definition", "org.ktl4j.redis")) {
      for (Class<?> c : classes(p)) {
        if (Modifier.isPublic(c.getModifiers()) && c.getEnclosingClass() == null) {
          common.add(c.getName().substring("org.ktl4j.".length()));
        }
      }
    }
    assertThat(common).containsExactly("ErrorCode", "KtlException", "KtlTimeoutException", "RefusedException",
        "UnavailableException", "definition.Bundle", "definition.Enumerator", "definition.KeywordDefinition",
        "definition.KtlXmlBundle", "definition.KtlXmlException", "redis.RedisEndpoint", "redis.RedisSettings",
        "redis.SharedPool", "redis.TlsFiles", "type.BinaryValue", "type.InvalidValueException", "type.KeywordType",
        "type.KtlType");
  }

  @Test
  void noPublicSignatureNamesJedisOrInternalTypes() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (String p : SUPPORTED) {
      for (Class<?> c : classes(p)) {
        if (!isExported(c)) {
          continue;
        }
        check(c + " extends", c.getGenericSuperclass(), leaks);
        for (Type t : c.getGenericInterfaces()) {
          check(c + " implements", t, leaks);
        }
        for (Field f : c.getDeclaredFields()) {
          if (visible(f)) {
            check(f.toString(), f.getGenericType(), leaks);
          }
        }
        for (Method m : c.getDeclaredMethods()) {
          if (visible(m) && !m.isSynthetic()) {
            checkExecutable(m, leaks);
            check(m.toString(), m.getGenericReturnType(), leaks);
          }
        }
        for (Constructor<?> k : c.getDeclaredConstructors()) {
          if (visible(k)) {
            checkExecutable(k, leaks);
          }
        }
      }
    }
    assertThat(leaks).as("public signatures that name plumbing").isEmpty();
  }

  @Test
  void theExamplesUseThePublicApiOnly() throws IOException {
    List<String> imports = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.startsWith("import ") && FORBIDDEN.stream().anyMatch(line::contains)) {
            imports.add(f + ": " + line);
          }
        }
      }
    }
    assertThat(imports).isEmpty();
  }

  private static boolean isExported(Class<?> c) {
    for (Class<?> k = c; k != null; k = k.getEnclosingClass()) {
      if (!Modifier.isPublic(k.getModifiers())) {
        return false;
      }
    }
    return !c.isAnonymousClass() && !c.isSynthetic();
  }

  private static boolean visible(Member m) {
    return Modifier.isPublic(m.getModifiers()) || Modifier.isProtected(m.getModifiers());
  }

  private static void checkExecutable(Executable e, List<String> leaks) {
    for (Type t : e.getGenericParameterTypes()) {
      check(e.toString(), t, leaks);
    }
    for (Type t : e.getGenericExceptionTypes()) {
      check(e.toString(), t, leaks);
    }
  }

  private static void check(String where, Type t, List<String> leaks) {
    if (t != null && FORBIDDEN.stream().anyMatch(t.getTypeName()::contains)) {
      leaks.add(where + " names " + t.getTypeName());
    }
  }

  /** The classes of one package (not its subpackages), from directories or jars on the class path. */
  private static List<Class<?>> classes(String pkg) throws IOException, URISyntaxException, ClassNotFoundException {
    String dir = pkg.replace('.', '/');
    List<String> names = new ArrayList<>();
    Enumeration<URL> roots = PublicApiTest.class.getClassLoader().getResources(dir);
    while (roots.hasMoreElements()) {
      URL u = roots.nextElement();
      if (u.getProtocol().equals("jar")) {
        try (JarFile jar = ((JarURLConnection) u.openConnection()).getJarFile()) {
          for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
            String n = e.nextElement().getName();
            if (n.startsWith(dir + "/") && n.endsWith(".class") && n.indexOf('/', dir.length() + 1) < 0) {
              names.add(n.substring(0, n.length() - 6).replace('/', '.'));
            }
          }
        }
      } else {
        try (Stream<Path> files = Files.list(Path.of(u.toURI()))) {
          files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".class"))
              .forEach(n -> names.add(pkg + "." + n.substring(0, n.length() - 6)));
        }
      }
    }
    List<Class<?>> classes = new ArrayList<>();
    for (String n : new TreeSet<>(names)) {
      if (!n.endsWith("package-info")) {
        classes.add(Class.forName(n, false, PublicApiTest.class.getClassLoader()));
      }
    }
    return classes;
  }
}
