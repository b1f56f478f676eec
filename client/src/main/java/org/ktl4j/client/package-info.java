/**
 * The client: read, write, wait for and subscribe to keywords. Open a {@link org.ktl4j.client.Service}, take
 * its {@link org.ktl4j.client.Keyword}s; reads go straight to Redis, writes go through the dispatcher (blocking
 * until {@code done} by default, or asynchronously with a {@link org.ktl4j.client.WriteHandle}),
 * subscriptions deliver {@link org.ktl4j.client.KeywordUpdate}s to listeners on a callback executor, and
 * {@link org.ktl4j.client.Expression} waits for conditions across keywords and services. Scripts may use the
 * static {@link org.ktl4j.client.Ktl} facade instead.
 */
package org.ktl4j.client;
