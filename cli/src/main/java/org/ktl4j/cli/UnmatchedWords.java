package org.ktl4j.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.OverwrittenOptionException;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * What to tell the user about a word picocli could not place, instead of its own text ("Unmatched arguments
 * from index 0", "Unknown option: '-1 2'"): an unknown command, with the commands and the closest one; an unknown
 * option, with the closest option (also when picocli read it as a short option and its value, {@code -silnet} as
 * {@code -s ilnet}); and for {@code ktl modify}, a value that starts with {@code -}, with how to give it
 * ({@code --} after the options). Stateless.
 */
final class UnmatchedWords {
  /** What picocli reads as a negative number rather than an option; such a word is surely a value. */
  private static final Pattern NUMBER_LIKE = Pattern.compile("-[0-9.].*", Pattern.DOTALL);
  private static final Pattern SHELL_PLAIN = Pattern.compile("[A-Za-z0-9_.,:/=+@%-]+");

  private UnmatchedWords() {}

  /** The message for {@code e}, if it is about a word picocli could not place; empty for other usage errors. */
  static Optional<String> explain(ParameterException e, String[] args) {
    if (e instanceof OverwrittenOptionException) {
      return misreadShortOption(e.getCommandLine().getCommandSpec(), args);
    }
    if (!(e instanceof UnmatchedArgumentException u) || u.getUnmatched().isEmpty()) {
      return Optional.empty();
    }
    CommandLine cmd = e.getCommandLine();
    CommandSpec spec = cmd.getCommandSpec();
    String word = u.getUnmatched().get(0);
    if (spec.parent() == null && !spec.subcommands().isEmpty() && !word.startsWith("-")) {
      return Optional.of(unknownCommand(word, spec));
    }
    if (!word.startsWith("-")) {
      return Optional.empty(); // a surplus word (e.g. 'ktl list foo'): picocli's text names it
    }
    boolean value = NUMBER_LIKE.matcher(word).matches() || word.contains(" ");
    Optional<String> option = value ? Optional.empty() : Spelling.closest(word, optionNames(spec));
    StringBuilder m = new StringBuilder("'").append(word).append("' is not an option of ")
        .append(spec.qualifiedName());
    option.ifPresent(o -> m.append(" (did you mean ").append(o).append("?)"));
    if (spec.name().equals("modify") && (value || (option.isEmpty() && !word.startsWith("--")))) {
      m.append("; if it is a value, use -- before values that start with '-' (after the options), e.g. ")
          .append(modifyExample(word, args));
    }
    return Optional.of(m.toString());
  }

  /**
   * A mistyped single-dash option that picocli read as a short option with its value ({@code -silnet} as
   * {@code -s ilnet}, then "--service should be specified only once"): the option probably meant.
   */
  private static Optional<String> misreadShortOption(CommandSpec spec, String[] args) {
    List<String> names = optionNames(spec);
    for (String a : args) {
      if (a.length() > 2 && a.charAt(0) == '-' && a.charAt(1) != '-' && !names.contains(a)
          && spec.findOption(a.substring(0, 2)) != null) {
        Optional<String> meant = Spelling.closest(a, names);
        if (meant.isPresent()) {
          return Optional.of("'" + a + "' is not an option of " + spec.qualifiedName() + " (did you mean "
              + meant.get() + "?); it was read as " + a.substring(0, 2) + " " + a.substring(2));
        }
      }
    }
    return Optional.empty();
  }

  private static String unknownCommand(String word, CommandSpec spec) {
    List<String> commands = new ArrayList<>(spec.subcommands().keySet());
    String hint = Spelling.closest(word, commands).map(c -> " (did you mean '" + c + "'?)").orElse("");
    return "unknown command '" + word + "'" + hint + "; the commands are " + String.join(", ", commands);
  }

  private static List<String> optionNames(CommandSpec spec) {
    List<String> names = new ArrayList<>();
    for (OptionSpec o : spec.options()) {
      names.addAll(Arrays.asList(o.names()));
    }
    return names;
  }

  /** {@code ktl modify -s SVC -- KW= '-1 2'}, from what was typed where it can be found. */
  private static String modifyExample(String word, String[] args) {
    String service = "SVC";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("-s") || a.equals("--service")) && i + 1 < args.length) {
        service = args[i + 1];
      } else if (a.startsWith("--service=")) {
        service = a.substring("--service=".length());
      }
    }
    int at = Arrays.asList(args).indexOf(word);
    String assignment = "KW= " + shellQuoted(word);
    if (at > 0 && args[at - 1].length() > 1 && args[at - 1].endsWith("=") && !args[at - 1].startsWith("-")) {
      assignment = shellQuoted(args[at - 1]) + " " + shellQuoted(word);      // KW= -1
    } else if (at > 1 && args[at - 1].equals("=")) {
      assignment = shellQuoted(args[at - 2]) + " = " + shellQuoted(word);   // KW = -1
    }
    return "ktl modify -s " + shellQuoted(service) + " -- " + assignment;
  }

  private static String shellQuoted(String word) {
    return SHELL_PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
  }
}
