package org.ktl4j.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.ktl4j.KtlTimeoutException;
import org.ktl4j.client.Keyword;
import org.ktl4j.client.KeywordUpdate;
import org.ktl4j.client.Service;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ktl monitor}: prints every update of some keywords, or of a whole service, one line each, until Ctrl-C,
 * {@code --count} updates or {@code --timeout}. The subscription callbacks only queue updates; the command's own
 * thread prints them, so lines never interleave and each is flushed at once (for pipes). Ctrl-C (SIGINT) or
 * SIGTERM closes the subscriptions and exits 0 through a {@link ShutdownSequence}. Not thread-safe: one instance
 * runs once.
 */
@Command(name = "monitor", sortOptions = false, usageHelpAutoWidth = true,
    description = {
        "Print every update of keywords, one line each, until Ctrl-C.",
        "Each line: the time the value was stored (ISO-8601, UTC), service.KW = value units, and its seq. Without "
            + "KEYWORD, every keyword of the service. Runs until Ctrl-C (exit 0), until --count updates were "
            + "printed, or until --timeout. Each line is flushed at once, for pipes.",
        "Updates have latest-value semantics: values stored faster than they are read are skipped, shown as "
            + "'[+N coalesced]'. A value read again after a lost connection is marked '[resync]' (updates may have "
            + "been missed before it).",
        "By default each keyword's current value is printed first; these priming values count towards --count. "
            + "--no-prime prints only values stored after the start.",
        "Control characters, bidirectional overrides and backslashes in values and units are printed escaped "
            + "(\\x1b, \\x9b, \\u202e, \\\\): one update is always one line. --raw prints them as stored."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  $ ktl monitor -s telescope AZ TRACKING",
        "  2026-11-22T01:23:45.123456Z  telescope.AZ = 120.500 deg  (seq 42)",
        "  2026-11-22T01:23:40.000001Z  telescope.TRACKING = off  (seq 7)",
        "  2026-11-22T01:23:46.500000Z  telescope.TRACKING = on  (seq 9)  [+1 coalesced]",
        "  $ ktl monitor -s telescope --no-prime --count 1 --timeout 30 DOMESHUT",
        "    (the next change of DOMESHUT; exit 3 if none within 30 s)",
        "  $ ktl monitor -s telescope | grep TRACKING        (the whole service)"})
final class MonitorCommand extends KtlCommand {

  @Option(names = {"-s", "--service"}, order = 1, required = true, paramLabel = "NAME",
      description = "Service to monitor.")
  String service;

  @Mixin
  RedisOption redis;

  @Option(names = {"-c", "--count"}, order = 4, paramLabel = "N",
      description = "Stop after N updates (priming values included, unless --no-prime) and exit 0.")
  Integer count;

  @Option(names = {"-t", "--timeout"}, order = 5, paramLabel = "SECONDS",
      description = "Stop after SECONDS: exit 3 if --count was given and fewer than N updates arrived, else 0.")
  Double timeoutSeconds;

  @Option(names = "--no-prime", order = 6, negatable = false,
      description = "Do not print the current values first; only values stored from now on.")
  boolean noPrime;

  @Option(names = {"-b", "--binary"}, order = 7,
      description = "Print the binary form of each value (as ktl show --binary).")
  boolean binary;

  @Option(names = "--raw", order = 8,
      description = "Print values and units exactly as stored. By default control characters (C0, DEL, C1), "
          + "bidirectional overrides and backslashes are escaped (\\x1b, \\x9b, \\u202e, \\\\), so that a "
          + "value cannot send escape sequences to the terminal or span lines. Only for values you trust.")
  boolean raw;

  @Option(names = "--json", order = 9,
      description = "One JSON object per update, one per line (JSON Lines), with both forms, units, seq, ts, "
          + "origin, coalesced and resync. Schema: docs/guide.md, section 5.")
  boolean json;

  @Parameters(paramLabel = "KEYWORD", arity = "0..*",
      description = "Keywords to monitor (any case). Default: every keyword of the service.")
  List<String> keywords = new ArrayList<>();

  @Override
  int run() throws InterruptedException {
    if (count != null && count < 1) {
      throw new IllegalArgumentException("--count must be at least 1, got " + count);
    }
    Duration timeout = timeoutSeconds == null ? null : Timeouts.positive("--timeout", timeoutSeconds);
    ShutdownSequence shutdown = new ShutdownSequence(LoggerFactory.getLogger(MonitorCommand.class));
    BlockingQueue<KeywordUpdate> updates = new LinkedBlockingQueue<>();
    PrintWriter out = spec.commandLine().getOut();
    TerminalText text = TerminalText.of(raw);
    try (ClientSession session = ClientSession.open(redis)) {
      Service svc = session.service(service);
      List<Keyword> chosen = new ArrayList<>();
      for (String k : keywords) {
        chosen.add(svc.keyword(k));
      }
      shutdown.add("subscriptions", session);
      shutdown.install();
      try {
        if (chosen.isEmpty()) {
          session.reachable(() -> svc.subscribeAll(updates::add, !noPrime));
        } else {
          for (Keyword kw : chosen) {
            session.reachable(() -> kw.subscribe(updates::add, !noPrime));
          }
        }
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        int printed = 0;
        Set<String> seen = new HashSet<>();
        while (count == null || printed < count) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          KeywordUpdate u = updates.poll(Math.min(left, TimeUnit.HOURS.toNanos(1)), TimeUnit.NANOSECONDS);
          if (u != null) {
            boolean first = seen.add(u.keyword());
            if (json) {
              JsonLines.print(out, w -> {
                w.name("service").value(svc.name());
                w.name("keyword").value(u.keyword());
                JsonLines.value(w, Optional.of(u.value()));
                w.name("units").value(units(svc, u));
                w.name("coalesced").value(u.coalesced());
                w.name("resync").value(u.resync() && !first);
              });
            } else {
              out.println(text.render(line(svc, u, first)));
              out.flush();
            }
            printed++;
          }
        }
        if (count != null && printed < count) {
          throw new KtlTimeoutException("monitor of service " + svc.name() + ": " + printed + " of " + count
              + " updates within " + Timeouts.text(timeout));
        }
      } finally {
        if (!shutdown.uninstall()) {
          shutdown.awaitHalt(); // Ctrl-C arrived meanwhile: the hook closes everything and exits 0
        }
      }
    }
    return ExitCodes.OK;
  }

  private static String units(Service svc, KeywordUpdate u) {
    return svc.has(u.keyword()) ? svc.keyword(u.keyword()).units() : "";
  }

  /** One update's line; the first value of each keyword is its current value, not marked as a resync. */
  private String line(Service svc, KeywordUpdate u, boolean first) {
    String units = units(svc, u);
    StringBuilder b = new StringBuilder()
        .append(ValueFormat.timestamp(u.timestamp())).append("  ")
        .append(u.value().fullName()).append(" = ")
        .append(ValueFormat.withUnits(ValueFormat.value(u.value(), binary), units))
        .append("  (seq ").append(u.seq()).append(')');
    if (u.coalesced() > 0) {
      b.append("  [+").append(u.coalesced()).append(" coalesced]");
    }
    if (u.resync() && !first) {
      b.append("  [resync]");
    }
    return b.toString();
  }
}
