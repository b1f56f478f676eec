package org.ktl4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The guide's Java snippets are the tested example code: every block marked
 * {@code <!-- snippet: path#tag -->} in docs/guide.md must equal the region between {@code // tag::tag[]} and
 * {@code // end::tag[]} in that file.
 */
class GuideSnippetsTest {
  private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+)#(\\w+) -->\\n```java\\n(.*?)\\n```",
      Pattern.DOTALL);

  @Test
  void everyGuideSnippetMatchesTheExampleSource() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    String guide = Files.readString(root.resolve("docs/guide.md"));
    Matcher m = SNIPPET.matcher(guide);
    int count = 0;
    while (m.find()) {
      count++;
      String source = Files.readString(root.resolve(m.group(1)));
      assertThat(m.group(3)).as("snippet %s#%s in docs/guide.md", m.group(1), m.group(2))
          .isEqualTo(region(source, m.group(2)));
    }
    assertThat(count).as("snippets in the guide").isGreaterThanOrEqualTo(6);
  }

  private static String region(String source, String tag) {
    List<String> lines = source.lines().toList();
    int start = -1;
    int end = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals("// tag::" + tag + "[]")) {
        start = i + 1;
      } else if (lines.get(i).strip().equals("// end::" + tag + "[]")) {
        end = i;
      }
    }
    assertThat(start).as("tag %s", tag).isPositive();
    List<String> region = new ArrayList<>(lines.subList(start, end));
    int indent = region.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
        .min().orElse(0);
    return String.join("\n", region.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
  }
}
