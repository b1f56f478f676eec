/**
 * The exceptions every ktl4j module shares. The subtype tells the category a caller acts on: {@link org.ktl4j.RefusedException} (the dispatcher said no, with a code), {@link org.ktl4j.KtlTimeoutException} (an answer did not come in time), {@link org.ktl4j.UnavailableException} (no dispatcher or no Redis).
 */
package org.ktl4j;
