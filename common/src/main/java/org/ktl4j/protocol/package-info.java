/**
 * ktl protocol 1 in code: names, keys and channels, the MODIFY request, its replies, the dispatcher lease and the store script. {@code docs/protocol.md} is the normative description; these classes implement exactly it, and change with it.
 */
package org.ktl4j.protocol;
