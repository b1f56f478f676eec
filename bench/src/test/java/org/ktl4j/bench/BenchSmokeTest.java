package org.ktl4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs every scenario of the bench briefly and checks the table is whole. Asserts nothing about speed. */
class BenchSmokeTest {

  @Test
  void quickRunPrintsEveryRow(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("bench-result.md");
    ResultTable table = Bench.run(BenchOptions.parse(new String[] {"--quick", "--seconds-per-round", "0.2",
        "--rounds", "1", "--warmup", "0.1", "--out", out.toString()}));

    List<String> operations = table.rows().stream().map(r -> r.operation() + " / " + r.reference()).toList();
    assertThat(operations).anyMatch(s -> s.startsWith("read / floor"));
    assertThat(operations).anyMatch(s -> s.startsWith("read / PVA get"));
    assertThat(operations).anyMatch(s -> s.startsWith("acknowledged write (caching) / floor"));
    assertThat(operations).anyMatch(s -> s.startsWith("acknowledged write (write hook) / floor"));
    assertThat(operations).anyMatch(s -> s.startsWith("acknowledged write (caching) / PVA put"));
    assertThat(operations).anyMatch(s -> s.startsWith("write → another client's callback / floor"));
    assertThat(operations).anyMatch(s -> s.startsWith("stored value → callback / floor"));
    assertThat(operations).anyMatch(s -> s.startsWith("stored value → callback / PVA monitor"));
    assertThat(operations).anyMatch(s -> s.startsWith("hot keyword: values set from code"));
    assertThat(operations).anyMatch(s -> s.startsWith("hot keyword: all"));
    assertThat(operations).anyMatch(s -> s.startsWith("MODIFY throughput, 8 writers"));
    assertThat(operations).anyMatch(s -> s.startsWith("MODIFY throughput, raw"));
    assertThat(operations).anyMatch(s -> s.startsWith("fan-out:"));
    assertThat(operations).anyMatch(s -> s.contains("subscriptions in one client: pub/sub connections"));
    assertThat(operations).anyMatch(s -> s.contains("subscriptions in one client: heap"));
    assertThat(operations).anyMatch(s -> s.contains("subscriptions in one client: threads"));
    assertThat(Files.readString(out)).contains("|operation|reference|").contains("read");
  }
}
