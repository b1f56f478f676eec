/**
 * ktl protocol 1 in code: names, keys and channels, the MODIFY request, its replies, the dispatcher lease, the
 * definitions' JSON and the store script. {@code docs/protocol.md} is the normative description; these classes
 * implement exactly it, and change with it.
 *
 * <p><b>Internal, unsupported:</b> public only so that ktl4j's own modules can share it; it changes without notice.
 * Programs use {@code org.ktl4j.client}, {@code org.ktl4j.dispatcher} and the model in {@code org.ktl4j},
 * {@code org.ktl4j.type}, {@code org.ktl4j.definition} and {@code org.ktl4j.redis}.
 */
package org.ktl4j.internal.protocol;
