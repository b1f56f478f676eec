package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.ktl4j.ErrorCode;
import org.ktl4j.KtlException;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.definition.KtlXmlException;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** Which failure exits with which code, and how it is printed. */
class ExitCodesTest {

  static Stream<Arguments> failures() {
    return Stream.of(
        Arguments.of(new RefusedException(ErrorCode.OUT_OF_RANGE, "svc.AZ: value '400' refused", "above 360"),
            ExitCodes.REFUSED),
        Arguments.of(new KtlTimeoutException("svc.AZ: no done within 10 s"), ExitCodes.TIMEOUT),
        Arguments.of(new UnavailableException("no dispatcher serves svc"), ExitCodes.UNAVAILABLE),
        Arguments.of(new JedisConnectionException("connection reset"), ExitCodes.UNAVAILABLE),
        Arguments.of(new IllegalArgumentException("bad option"), ExitCodes.USAGE),
        Arguments.of(new KtlXmlException("b.xml", 3, "AZ", "unknown type", null), ExitCodes.USAGE),
        Arguments.of(new KtlException("interrupted"), ExitCodes.USAGE),
        Arguments.of(new NullPointerException(), ExitCodes.USAGE));
  }

  @ParameterizedTest(name = "{0} exits with {1}")
  @MethodSource("failures")
  void eachFailureCategoryHasItsExitCode(Throwable failure, int code) {
    assertThat(ExitCodes.of(failure)).isEqualTo(code);
  }

  @Test
  void multiLineMessagesArePrintedOnOneLine() {
    assertThat(FailureReporter.message(new UnavailableException("redis-server exited:\n  line one\n  line two\n")))
        .isEqualTo("redis-server exited: | line one | line two");
  }

  @Test
  void unexpectedFailuresNameTheirType() {
    assertThat(FailureReporter.message(new NullPointerException()))
        .isEqualTo("unexpected java.lang.NullPointerException");
  }
}
