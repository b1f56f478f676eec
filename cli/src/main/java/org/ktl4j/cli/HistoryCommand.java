package org.ktl4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordValue;
import org.ktl4j.client.Service;
import org.ktl4j.protocol.Names;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktl history}: prints a keyword's last stored values, oldest first, from the history its dispatcher keeps in
 * Redis ({@code docs/protocol.md} section 3.5). Reads Redis directly: no dispatcher is needed. Not thread-safe: one
 * instance runs once.
 */
@Command(name = "history", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Print a keyword's last values, oldest first.",
        "Each line: when the value was stored (ISO-8601, UTC), KW = value units, its seq and who set it (origin). "
            + "The dispatcher keeps the last 100 values of each keyword by default ('ktl dispatcher --history N'); "
            + "values set by dispatcher code faster than they could be stored appear once per store, so seq may "
            + "jump. Reads Redis directly: no dispatcher is needed.",
        "No values (never set, or a dispatcher that keeps no history) print nothing and say so on stderr; the exit "
            + "code is 0."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl history -s telescope -n 3 AZ",
        "  2026-11-22T01:23:41.000012Z  AZ = 118.000 deg  (seq 40, origin dispatcher)",
        "  2026-11-22T01:23:43.500120Z  AZ = 119.250 deg  (seq 41, origin dispatcher)",
        "  2026-11-22T01:23:45.123456Z  AZ = 120.500 deg  (seq 42, origin ktl@obs1)",
        "  $ ktl history -s telescope --since 10m DOMESHUT     (the last ten minutes)",
        "  $ ktl history -s telescope --since 2026-11-22T01:00:00Z --json AZ"})
final class HistoryCommand extends KtlCommand {
  /** {@code 90s}, {@code 10m}, {@code 2h}, {@code 1d}: a time that long ago. */
  private static final Pattern AGO = Pattern.compile("(\\d{1,9})([smhd])");

  @Option(names = {"-s", "--service"}, order = 1, required = true, paramLabel = "NAME",
      description = "Service of the keyword.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = {"-n", "--count", "-count"}, order = 4, paramLabel = "N", defaultValue = "20",
      description = "How many of the last values (default: ${DEFAULT-VALUE}; at most " + Keyword.MAX_HISTORY + ").")
  int count;

  @Option(names = {"--since", "-since"}, order = 5, paramLabel = "TIME",
      description = "Only values stored since TIME: an instant (2026-11-22T01:00:00Z), a local date and time "
          + "(2026-11-21T17:00, this host's time zone), a date (2026-11-21, from its midnight here), or how long "
          + "ago (90s, 10m, 2h, 1d). By the Redis server's clock, to the millisecond.")
  String since;

  @Option(names = {"--terse", "-terse"}, order = 6,
      description = "Print only the values, one per line (with --timestamp: 'TIMESTAMP SEQ VALUE').")
  boolean terse;

  @Option(names = {"-b", "--binary", "-binary"}, order = 7,
      description = "Print the binary form (as 'ktl show --binary').")
  boolean binary;

  @Option(names = {"--timestamp", "-timestamp"}, order = 8,
      description = "With --terse, start each line with the time the value was stored and its seq.")
  boolean timestamp;

  @Option(names = "--raw", order = 9,
      description = "Print values and units exactly as stored (by default control characters are escaped).")
  boolean raw;

  @Option(names = "--json", order = 10,
      description = "One JSON object per value, oldest first (JSON Lines): service, keyword, ascii, binary, seq, "
          + "ts, origin, units. Not with --terse. Schema: docs/guide.md, section 5.")
  boolean json;

  @Parameters(paramLabel = "KEYWORD", arity = "1", description = "The keyword (any case).")
  String keyword;

  @Override
  int run() {
    if (json && terse) {
      throw new IllegalArgumentException("--json and --terse cannot be used together: choose one output form");
    }
    if (count < 1 || count > Keyword.MAX_HISTORY) {
      throw new IllegalArgumentException("-n must be between 1 and " + Keyword.MAX_HISTORY + " values, got " + count);
    }
    Optional<Instant> from = since == null ? Optional.empty() : Optional.of(parseSince(since, Instant.now(),
        ZoneId.systemDefault()));
    try (ClientSession session = ClientSession.open(redis)) {
      Service svc = session.service(service);
      Keyword kw = session.reachable(() -> svc.keyword(keyword));
      List<KeywordValue> values = session.reachable(() -> from.map(t -> kw.history(count, t))
          .orElseGet(() -> kw.history(count)));
      PrintWriter out = spec.commandLine().getOut();
      TerminalText text = TerminalText.of(raw);
      for (KeywordValue v : values) {
        if (json) {
          JsonLines.print(out, w -> {
            w.name("service").value(svc.name());
            w.name("keyword").value(kw.name());
            JsonLines.value(w, Optional.of(v));
            w.name("units").value(kw.units());
          });
        } else if (terse) {
          String value = ValueFormat.value(v, binary);
          out.println(text.render(timestamp ? ValueFormat.timestamp(v.timestamp()) + " " + v.seq() + " " + value
              : value));
        } else {
          out.println(text.render(ValueFormat.timestamp(v.timestamp()) + "  " + kw.name() + " = "
              + ValueFormat.withUnits(ValueFormat.value(v, binary), kw.units()) + "  (seq " + v.seq() + ", origin "
              + v.origin() + ")"));
        }
      }
      out.flush();
      if (values.isEmpty()) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("ktl: " + kw.fullName() + " has no history" + from.map(t -> " since "
            + ValueFormat.timestamp(t)).orElse("") + ": no value was stored"
            + (from.isPresent() ? " since then" : "") + ", or its dispatcher keeps none ('ktl dispatcher --history N')");
        err.flush();
      }
      return ExitCodes.OK;
    }
  }

  /**
   * {@code --since}: an ISO-8601 instant, a local date-time or date in {@code zone}, or {@code N[smhd]} before
   * {@code now}.
   *
   * @throws IllegalArgumentException naming the text and the forms accepted
   */
  static Instant parseSince(String text, Instant now, ZoneId zone) {
    String t = text.strip();
    Matcher ago = AGO.matcher(t.toLowerCase(Locale.ROOT));
    if (ago.matches()) {
      long n = Long.parseLong(ago.group(1));
      Duration d = switch (ago.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      return now.minus(d);
    }
    try {
      return Instant.parse(t);
    } catch (DateTimeParseException notInstant) {
      try {
        return LocalDateTime.parse(t).atZone(zone).toInstant();
      } catch (DateTimeParseException notLocal) {
        try {
          return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notDate) {
          throw new IllegalArgumentException("--since '" + Names.printable(text) + "' is not a time: give an "
              + "instant (2026-11-22T01:00:00Z), a local date and time (2026-11-21T17:00), a date (2026-11-21) or "
              + "how long ago (90s, 10m, 2h, 1d)");
        }
      }
    }
  }
}
