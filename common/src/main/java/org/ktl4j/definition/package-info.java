/**
 * Keyword definitions: what a service declares about each keyword, and the two forms they travel in.
 *
 * <p>{@link org.ktl4j.definition.KeywordDefinition} (with {@link org.ktl4j.definition.Enumerator}) is
 * the one immutable model. {@code org.ktl4j.internal.protocol.DefinitionJson} is its wire form, stored in the
 * Redis hash {@code ktl:{svc}:keywords} and read by clients in any language.
 * {@link org.ktl4j.definition.KtlXmlBundle} reads the KTL XML bundle files that existing services
 * already have into a {@link org.ktl4j.definition.Bundle}, with file and line in every warning and
 * error. The values a definition allows are the business of {@link org.ktl4j.type.KeywordType}.
 */
package org.ktl4j.definition;

import org.ktl4j.internal.protocol.DefinitionJson;
