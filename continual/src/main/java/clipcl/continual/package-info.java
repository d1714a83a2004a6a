/**
 * Continual learning for CLIP: one training engine ({@code train}), its data ({@code data}), methods
 * as plug-ins ({@code method}, {@code loss}), protocols and the study loop ({@code protocol}), the
 * accuracy matrix and its metrics ({@code metrics}), reports ({@code report}), float64 linear algebra
 * ({@code linalg}) and the representation analyses.
 */
package clipcl.continual;
