package org.ktl4j.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ktl4j.definition.KeywordDefinition;
import org.ktl4j.dispatcher.DispatcherService;
import org.ktl4j.redis.RedisEndpoint;
import org.ktl4j.testkit.RedisExtension;
import org.ktl4j.testkit.RedisServer;
import org.ktl4j.type.KtlType;

/** waitFor and KTL expressions, across two services. */
@ExtendWith(RedisExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExpressionTest {
  private RedisEndpoint endpoint;
  private DispatcherService scopeDispatcher;
  private DispatcherService domeDispatcher;
  private Service scope;
  private Service dome;
  private Function<String, Service> services;

  @BeforeAll
  void start(RedisServer server) {
    endpoint = TestServices.endpoint(server);
    String scopeName = server.serviceName("scope");
    String domeName = server.serviceName("dome");
    scopeDispatcher = DispatcherService.builder(scopeName).endpoint(endpoint)
        .keyword(KeywordDefinition.builder("AZ", KtlType.DOUBLE).initialValue("10").build())
        .keyword(KeywordDefinition.builder("TRACKING", KtlType.BOOLEAN).initialValue("false").build())
        .keyword(KeywordDefinition.builder("OBJECT", KtlType.STRING).initialValue("M 31").build())
        .keyword(KeywordDefinition.builder("NEVER", KtlType.INTEGER).build())
        .keyword(KeywordDefinition.builder("F", KtlType.FLOAT).initialValue("0.1").build())
        .keyword(KeywordDefinition.builder("BIG", KtlType.INT64).initialValue("9007199254740993").build())
        .keyword(KeywordDefinition.builder("CODE", KtlType.STRING).initialValue("1").build())
        .build();
    scopeDispatcher.start();
    domeDispatcher = DispatcherService.builder(domeName).endpoint(endpoint)
        .keyword(KeywordDefinition.builder("STATE", KtlType.ENUMERATED).labels("closed", "open", "moving")
            .initialValue("closed").build())
        .build();
    domeDispatcher.start();
    scope = Service.open(scopeName, endpoint);
    dome = Service.open(domeName, endpoint);
    services = n -> n.equalsIgnoreCase(scopeName) ? scope : dome;
  }

  @AfterAll
  void stop() {
    scope.close();
    dome.close();
    scopeDispatcher.close();
    domeDispatcher.close();
    endpoint.close();
  }

  private String both(String template) {
    return template.replace("SCOPE", scope.name()).replace("DOME", dome.name());
  }

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "$SCOPE.AZ == 10                                   | true",
      "$SCOPE.AZ > 9.5 and $SCOPE.AZ < 10.5              | true",
      "($SCOPE.AZ > 44.9) or ($DOME.STATE == closed)     | true",
      "($SCOPE.AZ > 44.9) and ($DOME.STATE == closed)    | false",
      "$DOME.STATE == CLOSED                             | true",
      "$DOME.STATE == 0                                  | true",
      "$DOME.STATE != open                               | true",
      "$DOME.STATE < open                                | true",
      "not $SCOPE.TRACKING                               | true",
      "$SCOPE.TRACKING == False                          | true",
      "$SCOPE.OBJECT == 'm 31'                           | true",
      "$SCOPE.NEVER == 0                                 | false",
      "$SCOPE.NEVER != 0                                 | false",
      "10 < $SCOPE.AZ                                    | false",
      "$SCOPE.F == 0.1                                   | true",
      "$SCOPE.F <= 0.1                                   | true",
      "$SCOPE.BIG == 9007199254740993                    | true",
      "$SCOPE.BIG > 9007199254740992                     | true",
      "$SCOPE.CODE == 1                                  | true",
      "$SCOPE.CODE != 1                                  | false",
      "$SCOPE.AZ > 9.99999                               | true",
  })
  void evaluateGivesTheTruthNow(String expression, boolean expected) {
    scope.keyword("AZ").write("10");
    scope.keyword("TRACKING").write("false");
    dome.keyword("STATE").write("closed");
    assertThat(Expression.parse(both(expression), services).evaluate()).isEqualTo(expected);
  }

  @Test
  void waitForReturnsTrueOnceTheExpressionHolds() throws Exception {
    scope.keyword("AZ").write("10");
    dome.keyword("STATE").write("closed");
    Expression e = Expression.parse(both("($SCOPE.AZ > 44.9) and ($DOME.STATE == open)"), services);
    CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> e.waitFor(Duration.ofSeconds(60)));
    scope.keyword("AZ").write("45");
    assertThat(waiting).isNotDone();
    dome.keyword("STATE").write("open");
    assertThat(waiting.get(60, TimeUnit.SECONDS)).isTrue();
    dome.keyword("STATE").write("closed");
  }

  @Test
  void waitForReturnsFalseOnTimeout() {
    Expression e = Expression.parse(both("$SCOPE.AZ > 400"), services);
    assertThat(e.waitFor(Duration.ofMillis(300))).isFalse();
  }

  @Test
  void keywordConditionsUseLabelsAndNumbers() throws Exception {
    Keyword state = dome.keyword("STATE");
    state.write("closed");
    assertThat(state.waitFor("== Closed", Duration.ofSeconds(10))).isTrue();
    assertThat(state.waitFor("== moving", Duration.ofMillis(200))).isFalse();
    CompletableFuture<Boolean> w = CompletableFuture.supplyAsync(() -> scope.keyword("AZ").waitFor(">= 45.0", Duration.ofSeconds(60)));
    scope.keyword("AZ").write("50");
    assertThat(w.get(60, TimeUnit.SECONDS)).isTrue();
    scope.keyword("AZ").write("10");
  }

  @Test
  void bareKeywordNamesReferToTheDefaultService() {
    Expression e = Expression.parse("AZ == 10 or TRACKING", scope, services);
    assertThat(e.keywords()).extracting(Keyword::name).containsExactly("AZ", "TRACKING");
  }

  @Test
  void mistakesAreReportedWhenParsed() {
    assertThatThrownBy(() -> Expression.parse(both("($SCOPE.AZ > 1"), services))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected ')'");
    assertThatThrownBy(() -> Expression.parse(both("$SCOPE.NOPE == 1"), services))
        .isInstanceOf(NoSuchKeywordException.class).hasMessageContaining("NOPE");
    assertThatThrownBy(() -> Expression.parse(both("$DOME.STATE == ajar"), services))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ajar").hasMessageContaining("open");
    assertThatThrownBy(() -> Expression.parse(both("$SCOPE.AZ == high"), services))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a number");
    assertThatThrownBy(() -> Expression.parse(both("$DOME.STATE == 7"), services))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7");
    assertThatThrownBy(() -> Expression.parse(both("$SCOPE.TRACKING == 5"), services))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("5");
    assertThatThrownBy(() -> Expression.parse("$AZ == 1", services))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs a service");
  }
}
