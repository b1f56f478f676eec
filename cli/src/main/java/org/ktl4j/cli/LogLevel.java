package org.ktl4j.cli;

import java.util.Locale;

/** The levels {@code --log-level} accepts, most severe first; their names are slf4j-simple's level names. */
enum LogLevel {
  ERROR, WARN, INFO, DEBUG, TRACE;

  /** The name slf4j-simple's properties use. */
  String propertyValue() {
    return name().toLowerCase(Locale.ROOT);
  }
}
