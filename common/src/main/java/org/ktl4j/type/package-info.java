/**
 * The KTL type system: what a keyword's values may be, and how their ascii form (the text that is
 * stored in Redis and broadcast) and binary form (a Java value) correspond.
 *
 * <p>{@link org.ktl4j.type.KtlType} names the twelve KTL types. {@link org.ktl4j.type.KeywordType#of}
 * turns a {@link org.ktl4j.definition.KeywordDefinition} into one of the sealed family of types
 * ({@link org.ktl4j.type.BooleanType}, {@link org.ktl4j.type.IntegerType},
 * {@link org.ktl4j.type.FloatingType}, {@link org.ktl4j.type.StringType},
 * {@link org.ktl4j.type.EnumeratedType}, {@link org.ktl4j.type.MaskType},
 * {@link org.ktl4j.type.NumericArrayType}), which validate writes, produce the one canonical ascii form
 * a dispatcher stores, and refuse bad values with an {@link org.ktl4j.type.InvalidValueException}
 * carrying the wire code ({@code BAD_VALUE} or {@code OUT_OF_RANGE}) and a reason a person can act on.
 *
 * <p>Dispatcher and client share these classes, so both sides accept and refuse exactly the same
 * values. They sit on the write path: immutable, thread-safe, no regular expressions, no exceptions
 * on valid input.
 */
package org.ktl4j.type;
