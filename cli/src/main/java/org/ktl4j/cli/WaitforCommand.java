package org.ktl4j.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.client.Expression;
import org.ktl4j.client.Keyword;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktl waitfor}: blocks until a KTL expression over keyword values holds, as KTL's {@code waitfor}. Every
 * wait has a timeout ({@value #DEFAULT_TIMEOUT_SECONDS} s unless told). Not thread-safe: one instance runs once.
 */
@Command(name = "waitfor", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Wait until an expression over keyword values holds.",
        "Exits 0 as soon as it holds (at once if it already does), 3 if it did not within the timeout (the "
            + "message shows the values it saw last).",
        "With -s, a bare keyword name or $KW means a keyword of that service; $other.KW is a keyword of another "
            + "service. Without -s, every keyword is written $service.KW. The words of the expression may be "
            + "given as one argument or several (they are joined with spaces).",
        "Grammar: comparisons with == (or KTL's =), !=, <, <=, >, >=; 'and', 'or', 'not' (&&, ||, !) and "
            + "parentheses. Values compare in the keyword's terms: numbers numerically, enumerated and boolean "
            + "keywords by label (any case) or number, strings ignoring case; quote text with spaces. A keyword "
            + "never set makes its comparison false."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  ktl waitfor -s telescope DOMESHUT=open",
        "  ktl waitfor -s telescope -t 120 'AZ > 44.9 and SLEWING == no'",
        "  ktl waitfor -s telescope AZ '>' 10             (words are joined)",
        "  ktl waitfor '($telescope.AZ > 44.9) and ($dome.STATE == open)'",
        "  ktl waitfor -s telescope -t 0 TRACKING == on   (check once: exit 0 or 3)"})
final class WaitforCommand extends KtlCommand {
  static final int DEFAULT_TIMEOUT_SECONDS = 60;

  @Option(names = {"-s", "--service"}, order = 1, paramLabel = "NAME",
      description = "Default service of the expression's bare keyword names. Without it, write $service.KW.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = {"-t", "--timeout"}, order = 4, paramLabel = "SECONDS",
      description = "How long to wait (default: " + DEFAULT_TIMEOUT_SECONDS + "). 0 evaluates the expression once, "
          + "now.")
  double timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;

  @Parameters(paramLabel = "EXPRESSION", arity = "1..*",
      description = "The expression (one or more words, joined with spaces).")
  List<String> words = new ArrayList<>();

  @Override
  int run() {
    Duration timeout = Timeouts.nonNegative("--timeout", timeoutSeconds);
    String text = String.join(" ", words).strip();
    if (text.isEmpty()) {
      throw new IllegalArgumentException("the expression is empty");
    }
    try (ClientSession session = ClientSession.open(redis)) {
      Expression expression = session.reachable(() -> service != null
          ? session.service(service).expression(text)
          : Expression.parse(text, session::service));
      if (expression.keywords().isEmpty()) {
        throw new IllegalArgumentException("'" + text + "' refers to no keyword" + (service == null
            ? ": without -s, write keywords as $service.KW (or give -s SERVICE to use bare names)" : ""));
      }
      boolean held = session.reachable(() -> timeout.isZero() ? expression.evaluate() : expression.waitFor(timeout));
      if (!held) {
        String now = session.reachable(() -> expression.keywords().stream().map(WaitforCommand::current)
            .collect(Collectors.joining(", ")));
        throw new KtlTimeoutException("'" + text + "' " + (timeout.isZero() ? "is false" : "did not become true "
            + "within " + Timeouts.text(timeout)) + (now.isEmpty() ? "" : " (now: " + now + ")"));
      }
    }
    return ExitCodes.OK;
  }

  /** {@code svc.KW = value} for the timeout message, the value escaped as {@code ktl show} prints it. */
  private static String current(Keyword kw) {
    return kw.read().map(v -> kw.fullName() + " = " + TerminalText.escape(v.ascii()))
        .orElse(kw.fullName() + " not set");
  }
}
