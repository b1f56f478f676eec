package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.ErrorCode;
import org.ktl4j.RefusedException;
import org.ktl4j.UnavailableException;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** The client against our dispatcher: read, write, refusals, definitions. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientTest {
  private RedisEndpoint endpoint;
  private DispatcherService dispatcher;
  private Service service;
  private String name;

  @BeforeAll
  void start(RedisServer server) {
    name = server.serviceName("client");
    endpoint = TestServices.endpoint(server);
    dispatcher = TestServices.dispatcher(name, endpoint);
    service = Service.open(name, endpoint);
  }

  @AfterAll
  void stop() {
    service.close();
    dispatcher.close();
    endpoint.close();
  }

  @ParameterizedTest(name = "{0} = ''{1}'' reads back as ''{2}''")
  @CsvSource(delimiter = '|', value = {
      "FLAG    | on          | true",
      "COUNT   | 42          | 42",
      "BIG     | -9000000000 | -9000000000",
      "TEMP    | 21.5        | 21.5",
      "AZ      | 120.25      | 120.25",
      "NAME    | 'M 31 ✓'    | 'M 31 ✓'",
      "SHUTTER | OPEN        | open",
      "FAULTS  | 'cooling,power' | 'power, cooling'",
      "PIXELS  | '1 2 3'     | '1 2 3'",
      "OFFSETS | '0.5 -1'    | '0.5 -1.0'",
  })
  void writeReturnsTheStoredCanonicalValueAndReadSeesIt(String keyword, String value, String canonical) {
    Keyword kw = service.keyword(keyword);
    WriteResult r = kw.write(value);
    assertThat(r.ascii()).isEqualTo(canonical);
    KeywordValue v = kw.read().orElseThrow();
    assertThat(v.ascii()).isEqualTo(canonical);
    assertThat(v.seq()).isEqualTo(r.seq());
    assertThat(v.origin()).contains("@");
    assertThat(kw.readAscii()).isEqualTo(canonical);
  }

  @Test
  void binaryReadsAreTyped() {
    service.keyword("FLAG").writeBinary(true);
    service.keyword("COUNT").writeBinary(7);
    service.keyword("BIG").writeBinary(1L << 40);
    service.keyword("AZ").writeBinary(33.5);
    service.keyword("SHUTTER").writeBinary(2);
    service.keyword("FAULTS").writeBinary(3L);
    service.keyword("PIXELS").writeBinary(new int[] {4, 5, 6});
    assertThat(service.keyword("FLAG").readBinary()).isEqualTo(Boolean.TRUE);
    assertThat(service.keyword("COUNT").readBinary()).isEqualTo(7);
    assertThat(service.keyword("BIG").readBinary()).isEqualTo(1L << 40);
    assertThat(service.keyword("AZ").read().orElseThrow().asDouble()).isEqualTo(33.5);
    assertThat(service.keyword("SHUTTER").readAscii()).isEqualTo("moving");
    assertThat(service.keyword("SHUTTER").read().orElseThrow().asInt()).isEqualTo(2);
    assertThat(service.keyword("FAULTS").readAscii()).isEqualTo("power, cooling");
    assertThat(service.keyword("FAULTS").read().orElseThrow().maskBits()).isEqualTo(3L);
    assertThat((int[]) service.keyword("PIXELS").readBinary()).containsExactly(4, 5, 6);
  }

  @Test
  void neverSetKeywordIsReportedAsSuchNotAsEmpty() {
    assertThat(service.keyword("UNSET").read()).isEmpty();
    assertThatThrownBy(() -> service.keyword("UNSET").readAscii()).isInstanceOf(NeverSetException.class)
        .hasMessageContaining(name + ".UNSET");
  }

  @ParameterizedTest(name = "{0} = ''{1}'' is refused locally with {2}")
  @CsvSource(delimiter = '|', value = {
      "COUNT   | 3.5   | BAD_VALUE",
      "COUNT   | 101   | OUT_OF_RANGE",
      "AZ      | nan   | BAD_VALUE",
      "SHUTTER | ajar  | BAD_VALUE",
      "PIXELS  | '1 2' | BAD_VALUE",
      "SERIAL  | x     | READ_ONLY",
  })
  void obviousMistakesFailLocallyWithTheDispatchersMessage(String keyword, String value, ErrorCode code) {
    assertThatThrownBy(() -> service.keyword(keyword).write(value)).isInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(code))
        .hasMessageContaining(name + "." + keyword).hasMessageContaining(value);
  }

  @Test
  void dispatcherRefusalsCarryCodeAndMessage() {
    assertThatThrownBy(() -> service.keyword("EL").write("5")).isInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.REJECTED))
        .hasMessageContaining("EL").hasMessageContaining("horizon");
    assertThatThrownBy(() -> service.keyword("FOCUS").write("-2")).isInstanceOf(RefusedException.class)
        .satisfies(e -> assertThat(((RefusedException) e).code()).isEqualTo(ErrorCode.WRITE_FAILED))
        .hasMessageContaining("stage not responding");
  }

  @Test
  void asyncWriteExposesAckAndDone() throws Exception {
    WriteHandle h = service.keyword("COUNT").writeAsync("55");
    h.ack().get(10, TimeUnit.SECONDS);
    WriteResult r = h.done().get(10, TimeUnit.SECONDS);
    assertThat(r.ascii()).isEqualTo("55");
    WriteHandle refused = service.keyword("EL").writeAsync("1");
    assertThatThrownBy(() -> refused.done().get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(RefusedException.class);
    assertThatThrownBy(() -> refused.await(Duration.ofSeconds(10))).isInstanceOf(RefusedException.class);
  }

  @Test
  void fireAndForgetWriteIsStored() {
    service.keyword("NAME").writeNoWait("no wait");
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> service.keyword("NAME").readAscii().equals("no wait"));
  }

  @Test
  void definitionsAreAvailableWithoutTheXml() {
    Keyword az = service.keyword("az");
    assertThat(az.type()).isEqualTo(KtlType.DOUBLE);
    assertThat(az.units()).isEqualTo("deg");
    assertThat(az.definition().maximum()).get().asString().isEqualTo("360");
    assertThat(service.keyword("SHUTTER").definition().enumerators()).hasSize(3);
    assertThat(service.keyword("SERIAL").isReadOnly()).isTrue();
    assertThat(service.keywords()).extracting(Keyword::name).contains("AZ", "DISPCLK", "DISPSTA");
    assertThat(service.isDispatcherAlive()).isTrue();
    assertThat(service.dispatcher()).get().extracting(l -> l.pid()).isEqualTo(ProcessHandle.current().pid());
    assertThat(Service.services(endpoint)).contains(name);
  }

  @Test
  void unknownServiceAndKeywordNameWhatExists() {
    assertThatThrownBy(() -> Service.open("nosuchservice", endpoint)).isInstanceOf(NoSuchServiceException.class)
        .hasMessageContaining("nosuchservice").hasMessageContaining(name);
    assertThatThrownBy(() -> service.keyword("NOPE")).isInstanceOf(NoSuchKeywordException.class)
        .hasMessageContaining("NOPE").hasMessageContaining("AZ");
  }

  @Test
  void writeWithNoDispatcherFailsAtOnce(RedisServer server) {
    String other = server.serviceName("orphan");
    try (DispatcherService d = TestServices.dispatcher(other, endpoint)) {
      d.close();
      try (Service s = Service.open(other, endpoint)) {
        assertThatThrownBy(() -> s.keyword("COUNT").write("1")).isInstanceOf(UnavailableException.class)
            .hasMessageContaining("no dispatcher").hasMessageContaining(other);
        assertThat(s.isDispatcherAlive()).isFalse();
      }
    }
  }
}
