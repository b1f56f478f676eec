package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code ktl dispatcher} refusing to start: one line {@code ktl: ...} on stderr, no stack trace, and the exit
 * code of the category. Redis is never reachable here: the URL points at a port nobody listens on.
 */
class StartupFailureTest {
  private static String unreachableUrl;
  private static String unreachableAddress;

  @BeforeAll
  static void findAPortNobodyListensOn() throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
      unreachableAddress = "127.0.0.1:" + socket.getLocalPort();
    }
    unreachableUrl = "redis://" + unreachableAddress + "/0";
  }

  static Stream<Arguments> usageErrors() {
    String good = KtlProcess.bundle("clitest.xml");
    String broken = KtlProcess.bundle("broken.xml");
    return Stream.of(
        Arguments.of("a missing bundle names the file",
            List.of("--config=" + good.replace("clitest.xml", "nosuch.xml"), "-s", "x"),
            List.of("nosuch.xml", "no such file")),
        Arguments.of("a broken bundle names file, line and keyword",
            List.of("--config=" + broken, "-s", "x"),
            List.of("broken.xml:9:", "COUNTER", "unknown type 'integr'")),
        Arguments.of("a bundle without service attribute asks for --service",
            List.of("--config=" + KtlProcess.bundle("noservice.xml")),
            List.of("noservice.xml", "no service attribute", "--service")),
        Arguments.of("an invalid service name says the rule",
            List.of("--config=" + good, "-s", "9lives"),
            List.of("9lives", "[a-z]")),
        Arguments.of("an unknown setup class names it and the classpath",
            List.of("--config=" + good, "-s", "x", "--setup", "com.example.NoSuchSetup"),
            List.of("com.example.NoSuchSetup", "no such class", "classpath")),
        Arguments.of("a setup class of the wrong type names the interface",
            List.of("--config=" + good, "-s", "x", "--setup", "java.lang.String"),
            List.of("java.lang.String", "does not implement org.ktl4j.dispatcher.ServiceSetup")),
        Arguments.of("a malformed Redis URL says where it came from",
            List.of("--config=" + good, "-s", "x", "--redis", "http://example.org"),
            List.of("http://example.org", "redis://", "--redis")),
        Arguments.of("a lease TTL below the minimum says the range",
            List.of("--config=" + good, "-s", "x", "--lease-ttl", "0.1"),
            List.of("--lease-ttl", "0.3")),
        Arguments.of("a missing --config is a usage error pointing to the help",
            List.of("-s", "x"),
            List.of("--config", "ktl dispatcher --help")),
        Arguments.of("an unknown log level lists the levels",
            List.of("--config=" + good, "--log-level", "loud"),
            List.of("loud", "DEBUG")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("usageErrors")
  void configurationErrorsExitOneWithOneLine(String behaviour, List<String> args, List<String> fragments)
      throws Exception {
    List<String> command = new ArrayList<>(List.of("dispatcher"));
    command.addAll(args);
    try (KtlProcess ktl = KtlProcess.start(Map.of("KTL_REDIS_URL", unreachableUrl), command)) {
      assertThat(ktl.awaitExit()).as(ktl.output()).isEqualTo(ExitCodes.USAGE);
      assertOneErrorLineContaining(ktl, fragments);
    }
  }

  @Test
  void unreachableRedisExitsFourNamingTheAddressAndHowToUseAnEmbeddedRedis() throws Exception {
    try (KtlProcess ktl = KtlProcess.start(unreachableUrl, "dispatcher",
        "--config=" + KtlProcess.bundle("clitest.xml"), "--service=x")) {
      assertThat(ktl.awaitExit()).as(ktl.output()).isEqualTo(ExitCodes.UNAVAILABLE);
      assertOneErrorLineContaining(ktl, List.of(unreachableAddress, "KTL_REDIS_URL", "--redis embedded"));
    }
  }

  @Test
  void missingCommandIsAUsageError() throws Exception {
    try (KtlProcess ktl = KtlProcess.start(unreachableUrl)) {
      assertThat(ktl.awaitExit()).as(ktl.output()).isEqualTo(ExitCodes.USAGE);
      assertOneErrorLineContaining(ktl, List.of("missing a command", "dispatcher", "ktl --help"));
    }
  }

  private static void assertOneErrorLineContaining(KtlProcess ktl, List<String> fragments) {
    assertThat(ktl.errorLines()).as(ktl.output()).singleElement().asString().contains(fragments);
    assertThat(ktl.stderr()).as("no stack trace").noneMatch(line -> line.startsWith("\tat "));
  }
}
