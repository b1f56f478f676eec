/**
 * The dispatcher: the daemon library that owns a service's keywords. Build a {@link org.ktl4j.dispatcher.DispatcherService} from a KTL XML bundle and/or definitions, attach {@link org.ktl4j.dispatcher.KeywordBehavior} (check, write, read, periodic updates) in a {@link org.ktl4j.dispatcher.ServiceSetup}, and start it. Everything else in this package is its engine and is package-private.
 */
package org.ktl4j.dispatcher;
