package org.ktl4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ktl4j.cli.KtlRun.ktl;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The help of the client commands: listed at the top level, every option explained, examples given. */
class ClientCommandsHelpTest {

  @Test
  void topLevelHelpListsTheClientCommands() {
    KtlRun run = ktl("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).anySatisfy(l -> assertThat(l).startsWith("  show "))
        .anySatisfy(l -> assertThat(l).startsWith("  modify "))
        .anySatisfy(l -> assertThat(l).startsWith("  monitor "))
        .anySatisfy(l -> assertThat(l).startsWith("  waitfor "))
        .anySatisfy(l -> assertThat(l).startsWith("  list "))
        .anySatisfy(l -> assertThat(l).startsWith("  describe "))
        .anySatisfy(l -> assertThat(l).startsWith("  web "));
  }

  @ParameterizedTest(name = "ktl {0} --help")
  @CsvSource(delimiter = '|', value = {
      "show    | --service=NAME,--redis=URL,--terse,--binary,--timestamp,--json,KEYWORD,is not set,Examples:",
      "modify  | --service=NAME,--redis=URL,--nowait,--notify,--silent,--timeout=SECONDS,--binary,stops at the first,KW=value,Examples:",
      "monitor | --service=NAME,--redis=URL,--count=N,--timeout=SECONDS,--no-prime,--binary,--json,coalesced,Ctrl-C,Examples:",
      "waitfor | --service=NAME,--redis=URL,--timeout=SECONDS,default: 60,EXPRESSION,$service.KW,Examples:",
      "list    | --service=NAME,--redis=URL,--json,ACCESS,Examples:",
      "describe | --service=NAME,--redis=URL,--json,--raw,KEYWORD,enumerators,lease,Examples:",
      "web     | --port=PORT,--bind=ADDR,--allow-writes,--redis=URL,127.0.0.1,read-only,serves anyone,Ctrl-C,Examples:",
  })
  void eachClientCommandExplainsItsOptionsWithExamples(String command, String expected) {
    KtlRun run = ktl(command, "--help");

    assertThat(run.exitCode()).isZero();
    String help = String.join("\n", run.out());
    assertThat(help).startsWith("Usage: ktl " + command).contains(expected.split(","))
        .contains("Exit codes:", "--log-level=LEVEL");
  }
}
