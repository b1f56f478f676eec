package org.ktl4j.dispatcher;

/**
 * Attaches Java behaviour to a service's keywords, in the spirit of DFW's setup function: it receives the
 * built (not yet started) service and calls {@code service.keyword("AZ").onWrite(...)} and friends. The
 * daemon's {@code --setup} option names a class implementing this interface (public, with a public no-argument
 * constructor).
 */
@FunctionalInterface
public interface ServiceSetup {
  /** Attaches behaviour; an exception aborts start-up with its message. */
  void setup(DispatcherService service) throws Exception;
}
