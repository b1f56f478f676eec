/**
 * Testing a dispatcher of one's own with JUnit 5: {@link org.ktl4j.junit.KtlServiceTest} starts a real
 * {@code redis-server} and the dispatcher of a KTL XML bundle and setup classes for a test class, and hands its tests
 * a client {@link org.ktl4j.client.Service}. (ktl4j's own test harness, {@code ktl4j-testkit}, starts Redis
 * topologies for ktl4j's tests; this module is the one for users.)
 */
package org.ktl4j.junit;
