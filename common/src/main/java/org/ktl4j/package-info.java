/**
 * The exceptions every ktl4j module shares, and the refusal codes. The subtype tells the category a caller acts on:
 * {@link org.ktl4j.RefusedException} (the dispatcher said no, with an {@link org.ktl4j.ErrorCode}),
 * {@link org.ktl4j.KtlTimeoutException} (an answer did not come in time), {@link org.ktl4j.UnavailableException}
 * (no dispatcher or no Redis).
 *
 * <p>The supported API is this package, {@code org.ktl4j.type}, {@code org.ktl4j.definition}, {@code org.ktl4j.redis},
 * {@code org.ktl4j.client} and {@code org.ktl4j.dispatcher}; {@code org.ktl4j.internal.*} is plumbing shared between
 * ktl4j's modules, unsupported and changed without notice.
 */
package org.ktl4j;
